"""Editors of the working paper: lists for the deduction reason and a 定性 row's band."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.domain.enums import QualitativeBand
from app.domain.review import DeductionReason
from app.ui.spotcheck.review_model import C_DEDUCTION, C_VALUE, ReviewSheetModel, is_qualitative

Index = QModelIndex | QPersistentModelIndex
NO_DEDUCTION = ""  # first entry: no deduction
DEDUCTIONS = (NO_DEDUCTION, *(r.value for r in DeductionReason))
BANDS = ("", *(b.value for b in QualitativeBand))


class SheetDelegate(QStyledItemDelegate):
    def __init__(self, model: ReviewSheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def _choices(self, index: Index) -> tuple[str, ...] | None:
        if index.column() == C_DEDUCTION:
            return DEDUCTIONS
        if index.column() == C_VALUE and is_qualitative(self._model.row_at(index.row())):
            return BANDS
        return None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = self._choices(index)
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(list(choices))
        combo.setItemText(0, "（无）" if index.column() == C_DEDUCTION else "（同自评）")
        # A choice is taken at once: no second click or Enter needed.
        combo.activated.connect(lambda _i: self._commit_and_close(combo))
        return combo

    def _commit_and_close(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            choices = self._choices(index) or ()
            editor.setCurrentIndex(choices.index(text) if text in choices else 0)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            choices = self._choices(index) or ()
            model.setData(index, choices[editor.currentIndex()], Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
