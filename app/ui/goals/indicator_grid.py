"""The indicator grid: a keyboard-first table like a spreadsheet.

Tab / Shift+Tab move along the row (wrapping, and past the last cell a new row starts);
Enter moves down, or back to the column where a run of Tabs began (as in Excel). Typing
starts editing. Ctrl+Enter or Insert adds a row below, Ctrl+Delete removes rows, Delete
clears cells, Alt+Up/Down moves a row, Ctrl+C/Ctrl+V copy and paste tab-separated text
(Excel, WPS).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.ui.goals.indicator_grid_cells import (
    COL_EXPLANATION,
    COL_LEVEL1,
    COL_LEVEL2,
    COL_NAME,
    COL_NATURE,
    COL_POINTS,
    COL_TARGET,
    COL_UNIT,
    COLUMNS,
    COMPARATOR_CHOICES,
    copy_text,
    level2_choices,
    split_clipboard,
)
from app.ui.goals.indicator_grid_model import IndicatorGridModel

Index = QModelIndex | QPersistentModelIndex
EndEditHint = QAbstractItemDelegate.EndEditHint
_MOD = Qt.KeyboardModifier
_NAVIGATION_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
)
# Typical content of each column, for its starting width (三级 takes the spare room).
_COLUMN_SAMPLES = {
    COL_LEVEL1: "满意度指标",
    COL_LEVEL2: "服务对象满意度指标",
    COL_NATURE: "指标性质",
    COL_TARGET: "12345.67",
    COL_UNIT: "计量单位",
    COL_POINTS: "分值",
    COL_EXPLANATION: "指标解释指标解释",
}


class ChoiceDelegate(QStyledItemDelegate):
    """An editable drop-down: pick a choice or type (the model reads what was typed)."""

    def __init__(self, choices: Callable[[Index], Sequence[str]], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(self._choices(index)))
        # The default inline completion: "数量" completes to 数量指标 as one types.
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        found = editor.findText(text)
        if found >= 0:
            editor.setCurrentIndex(found)
        editor.setEditText(text)
        line = editor.lineEdit()
        if line is not None:
            line.selectAll()  # typing replaces the cell, as in a spreadsheet

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class IndicatorGridView(QTableView):
    def __init__(self, model: IndicatorGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._tab_origin: int | None = None  # column where a run of Tabs began
        self.setModel(model)
        rules = model.rules
        level1_names = tuple(l1.name for l1 in rules.level1)
        self.setItemDelegateForColumn(COL_LEVEL1, ChoiceDelegate(lambda _i: level1_names, self))
        self.setItemDelegateForColumn(
            COL_LEVEL2,
            ChoiceDelegate(lambda i: level2_choices(model.row_at(i.row()).level1, rules), self),
        )
        self.setItemDelegateForColumn(
            COL_NATURE, ChoiceDelegate(lambda _i: COMPARATOR_CHOICES, self)
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self._set_editable(True)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in _COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("分值") + 16)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 12)

    def _set_editable(self, editable: bool) -> None:
        triggers = QAbstractItemView.EditTrigger
        if editable:
            self.setEditTriggers(
                triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
            )
        else:
            self.setEditTriggers(triggers.NoEditTriggers)

    def set_read_only(self, read_only: bool) -> None:
        self._model.set_read_only(read_only)
        self._set_editable(not read_only)

    @property
    def read_only(self) -> bool:
        return self._model.read_only

    # -- moving --------------------------------------------------------------------------
    def go_to(self, row: int, column: int) -> None:
        index = self._model.index(row, column)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def _current(self) -> tuple[int, int]:
        index = self.currentIndex()
        return (index.row(), index.column()) if index.isValid() else (-1, 0)

    def move_next(self) -> None:
        row, column = self._current()
        if self._tab_origin is None:
            self._tab_origin = column
        if column + 1 < len(COLUMNS):
            self.go_to(row, column + 1)
        elif self._ensure_row(row + 1):
            self.go_to(row + 1, 0)

    def move_previous(self) -> None:
        row, column = self._current()
        if column > 0:
            self.go_to(row, column - 1)
        elif row > 0:
            self.go_to(row - 1, len(COLUMNS) - 1)

    def move_down(self) -> None:
        row, column = self._current()
        if self._tab_origin is not None:
            column, self._tab_origin = self._tab_origin, None
        if self._ensure_row(row + 1):
            self.go_to(row + 1, column)

    def _ensure_row(self, row: int) -> bool:
        """True if the row exists, adding it after a filled last row (never a second blank)."""
        count = self._model.rowCount()
        if row < count:
            return True
        if self.read_only or row > count or (count and _is_blank(self._model, count - 1)):
            return False
        like = self._model.row_at(count - 1) if count else None
        self._model.insert_blank(count, like)
        return True

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab stays inside the grid, as in a spreadsheet; Ctrl+Tab leaves it.
        if self.state() == QAbstractItemView.State.EditingState:
            return super().focusNextPrevChild(next)
        self.move_next() if next else self.move_previous()
        return True

    def closeEditor(self, editor: QWidget, hint: EndEditHint) -> None:
        if hint == EndEditHint.EditNextItem:
            super().closeEditor(editor, EndEditHint.NoHint)
            self.move_next()
        elif hint == EndEditHint.EditPreviousItem:
            super().closeEditor(editor, EndEditHint.NoHint)
            self.move_previous()
        elif hint == EndEditHint.SubmitModelCache:  # Enter
            super().closeEditor(editor, EndEditHint.NoHint)
            self.move_down()
        else:
            super().closeEditor(editor, hint)

    def commit_open_editor(self) -> None:
        """Write the text of a cell still being edited into the model and close its editor."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        widget = QApplication.focusWidget()
        while widget is not None and widget.parentWidget() is not self.viewport():
            widget = widget.parentWidget()
        if widget is not None:
            self.commitData(widget)
            self.closeEditor(widget, EndEditHint.NoHint)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Chinese typed on a cell starts editing it with that text.

        QAbstractItemView opens the editor for an input method event but does not pass the
        event on (only key presses), so the first committed word would be lost."""
        typed = event.commitString() or event.preeditString()
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        can_edit = typed and not editing and not self.read_only and index.isValid()
        if can_edit and self.edit(index, QAbstractItemView.EditTrigger.AnyKeyPressed, event):
            target = QApplication.focusWidget()
            if target is not None and target is not self:
                QCoreApplication.sendEvent(target, event)
            event.accept()
            return
        super().inputMethodEvent(event)

    # -- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_key(event):
            event.accept()
            return
        if event.key() in _NAVIGATION_KEYS:
            self._tab_origin = None  # the user moved on their own: no Tab run to return to
        super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        if self.state() == QAbstractItemView.State.EditingState:
            return False  # a key the editor ignored (Enter) travels up here: the delegate acts
        key, mods = event.key(), event.modifiers() & ~_MOD.KeypadModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
        elif (enter and mods == _MOD.ControlModifier) or (key == Qt.Key.Key_Insert and not mods):
            self.add_row()
        elif enter and not mods:
            self.move_down()
        elif key == Qt.Key.Key_Delete and mods == _MOD.ControlModifier:
            self.remove_rows()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not mods:
            self.clear_cells()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods == _MOD.AltModifier:
            self.move_current_row(-1 if key == Qt.Key.Key_Up else 1)
        else:
            return False
        return True

    # -- row actions (also on the editor's buttons) --------------------------------------
    def add_row(self) -> None:
        """A new row below the current one, in the same 一级/二级, ready for its name."""
        if self.read_only:
            return
        row, _column = self._current()
        like = self._model.row_at(row) if row >= 0 else None
        at = self._model.insert_blank(row + 1, like)
        self.go_to(at, COL_NAME if like and like.level2 else COL_LEVEL1)
        self.setFocus()

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def remove_rows(self) -> None:
        rows = self.selected_rows()
        if self.read_only or not rows:
            return
        _row, column = self._current()
        self._model.remove_rows_at(rows)
        if self._model.rowCount():
            self.go_to(min(rows[0], self._model.rowCount() - 1), column)

    def move_current_row(self, delta: int) -> None:
        row, column = self._current()
        if self.read_only or row < 0:
            return
        self.go_to(self._model.move_row(row, delta), column)

    def clear_cells(self) -> None:
        if self.read_only:
            return
        for index in self.selectionModel().selectedIndexes() or [self.currentIndex()]:
            if index.isValid():
                self._model.setData(index, "")

    def paste_clipboard(self) -> None:
        if self.read_only:
            return
        block = split_clipboard(QGuiApplication.clipboard().text())
        if not block:
            return
        top, left = self._current()
        top = max(top, 0)
        if len(block) == 1 and len(block[0]) == 1:
            self._paste_one(block[0][0])
            return
        first, count = self._model.paste(top, left, block)
        if count:
            selection = self.selectionModel()
            self.go_to(first, left)
            last = self._model.index(first + count - 1, min(left + len(block[0]), len(COLUMNS)) - 1)
            selection.select(
                QItemSelection(self._model.index(first, left), last),
                selection.SelectionFlag.ClearAndSelect,
            )

    def _paste_one(self, text: str) -> None:
        """One copied cell fills every selected cell, as in a spreadsheet."""
        targets = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        for index in targets:
            if index.isValid():
                self._model.setData(index, text)

    def copy_selection(self) -> None:
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        picked = [self._model.row_at(r) for r in rows]
        QGuiApplication.clipboard().setText(copy_text(picked, columns))


def _is_blank(model: IndicatorGridModel, row: int) -> bool:
    r = model.row_at(row)
    return not (r.name or r.target is not None or r.target_text or r.points is not None)
