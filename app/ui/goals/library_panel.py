"""The indicator library beside the grid: search as you type, filter by 一级/二级 and 行业,
and add the chosen indicator to the goal with a double-click, Enter or the button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.rules import GoalRules
from app.services.library.search import LibraryItem
from app.ui.widgets.row_table import CENTER, Column, RowTableModel, list_look, size_columns

ALL_LEVEL1 = "全部一级指标"
ALL_LEVEL2 = "全部二级指标"
ALL_FIELDS = "全部行业"


def _whole(item: LibraryItem) -> str:
    return f"{item.level1} / {item.level2}（{item.field}）\n{item.name}\n{item.explanation}"


# 一级 and 行业 show below the table for the current entry: the panel is narrow.
COLUMNS: tuple[Column[LibraryItem], ...] = (
    Column("指标名称", lambda i: i.name, tooltip=_whole),
    Column("二级指标", lambda i: i.level2, tooltip=_whole),
    Column("性质", lambda i: i.comparator.value, align=CENTER, tooltip=_whole),
    Column("单位", lambda i: i.unit, tooltip=_whole),
)
COL_NAME, COL_LEVEL2, COL_NATURE, COL_UNIT = range(len(COLUMNS))


class LibraryTableModel(RowTableModel[LibraryItem]):
    """Library entries, filtered in Python (a few hundred rows)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def set_items(self, items: Sequence[LibraryItem]) -> None:
        self.set_rows(items)
        self.set_filter("", "", "", "")

    def all_items(self) -> list[LibraryItem]:
        return self.all_rows()

    def set_filter(self, text: str, level1: str, level2: str, field: str) -> None:
        """Keep entries whose name or explanation holds every word; empty filters match all."""
        terms = [t.casefold() for t in text.split()]

        def keep(item: LibraryItem) -> bool:
            if (level1 and item.level1 != level1) or (level2 and item.level2 != level2):
                return False
            if field and item.field != field:
                return False
            haystack = f"{item.name}\n{item.explanation}".casefold()
            return all(t in haystack for t in terms)

        self.set_predicate(keep)

    def item_at(self, row: int) -> LibraryItem:
        return self.row_at(row)

    def visible_items(self) -> list[LibraryItem]:
        return self.visible_rows()


class _LibraryTable(QTableView):
    """Enter adds the current entry, like a double-click."""

    entry_chosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.entry_chosen.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class LibraryPanel(QWidget):
    """Emits `item_chosen(LibraryItem)` when the user adds an entry to the goal."""

    item_chosen = Signal(object)

    def __init__(self, rules: GoalRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rules = rules
        self.model = LibraryTableModel(self)
        self.search = QLineEdit()
        self.level1_combo = QComboBox()
        self.level2_combo = QComboBox()
        self.field_combo = QComboBox()
        self.table = _LibraryTable()
        self.count_label = QLabel()
        self.explanation = QLabel()
        self.add_button = QPushButton("添加到指标表")
        self._build()
        self._connect()

    def _build(self) -> None:
        self.search.setPlaceholderText("搜索指标名称或解释")
        self.search.setClearButtonEnabled(True)
        self.level1_combo.addItem(ALL_LEVEL1, "")
        for l1 in self._rules.level1:
            self.level1_combo.addItem(l1.name, l1.name)
        self._fill_level2()
        table = self.table
        table.setModel(self.model)
        list_look(table, row_padding=8)
        size_columns(
            table,
            {COL_LEVEL2: "社会效益指标", COL_NATURE: "性质", COL_UNIT: "万元/公里"},
            stretch=COL_NAME,
            padding=18,
        )
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #555;")
        self.explanation.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        filters = QHBoxLayout()
        filters.addWidget(self.level1_combo, 1)
        filters.addWidget(self.level2_combo, 1)
        filters.addWidget(self.field_combo, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.explanation)
        layout.addLayout(bottom)
        self.add_button.setToolTip("把选中的指标添加到指标表（也可双击或按回车）")

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_filter_changed)
        self.level1_combo.currentIndexChanged.connect(self._on_level1_combo_changed)
        self.level2_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.field_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.doubleClicked.connect(self._on_table_chosen)
        self.table.entry_chosen.connect(self._on_table_chosen)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def set_items(self, items: Sequence[LibraryItem]) -> None:
        fields = sorted({i.field for i in items}, key=lambda f: (f != "通用", f))
        blocker = self.field_combo.blockSignals(True)
        try:
            chosen = self.field_combo.currentData() or ""
            self.field_combo.clear()
            self.field_combo.addItem(ALL_FIELDS, "")
            for field in fields:
                self.field_combo.addItem(field, field)
            self.field_combo.setCurrentIndex(max(0, self.field_combo.findData(chosen)))
        finally:
            self.field_combo.blockSignals(blocker)
        self.model.set_items(items)
        self._refilter()

    def current_item(self) -> LibraryItem | None:
        index = self.table.currentIndex()
        return self.model.item_at(index.row()) if index.isValid() else None

    def _fill_level2(self) -> None:
        level1 = self.level1_combo.currentData() or ""
        names = [l2 for l1 in self._rules.level1 if level1 in ("", l1.name) for l2 in l1.level2]
        blocker = self.level2_combo.blockSignals(True)
        try:
            self.level2_combo.clear()
            self.level2_combo.addItem(ALL_LEVEL2, "")
            for name in names:
                self.level2_combo.addItem(name, name)
        finally:
            self.level2_combo.blockSignals(blocker)

    def _refilter(self) -> None:
        self.model.set_filter(
            self.search.text(),
            self.level1_combo.currentData() or "",
            self.level2_combo.currentData() or "",
            self.field_combo.currentData() or "",
        )
        total = len(self.model.all_items())
        self.count_label.setText(f"显示 {self.model.rowCount()} / {total} 个指标")
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self.explanation.setText("")

    def _on_filter_changed(self, *_args: object) -> None:
        self._refilter()

    def _on_level1_combo_changed(self, _index: int) -> None:
        self._fill_level2()
        self._refilter()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.explanation.setText("")
            return
        item = self.model.item_at(current.row())
        self.explanation.setText(
            f"{item.level1} / {item.level2}（行业：{item.field}）：{item.explanation}"
        )

    def _on_table_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.item_chosen.emit(self.model.item_at(index.row()))

    def _on_add_button_clicked(self) -> None:
        item = self.current_item()
        if item is not None:
            self.item_chosen.emit(item)
