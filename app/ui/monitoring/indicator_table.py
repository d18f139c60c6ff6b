"""The indicator grid of the entry form: typed like a spreadsheet, lamps lit as you type.

Cells keep the text as typed; a number that does not parse stays visible and is marked
(never silently dropped), and saving is refused until it is fixed. Empty cells the round
cannot close without (偏差原因 of a red or yellow lamp) say "必填" in red, not only a tint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.domain.enums import Comparator, DeviationCategory, Likelihood
from app.domain.errors import Problem
from app.domain.lamps import IndicatorProgress, LampResult, QualitativeProgress
from app.domain.money import parse_decimal
from app.domain.numbers import plain
from app.services.monitoring import IndicatorEdit, IndicatorLampRow
from app.ui.widgets.lamp import lamp_icon, lamp_text, lamp_tint

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "指标名称",
    "年度指标值",
    "当前完成值",
    "完成可能性",
    "全年预计完成值",
    "指标灯",
    "偏差原因类别",
    "偏差原因",
    "纠偏措施",
)
(
    COL_NAME,
    COL_TARGET,
    COL_CURRENT,
    COL_LIKELIHOOD,
    COL_EXPECTED,
    COL_LAMP,
    COL_CATEGORY,
    COL_REASON,
    COL_ACTION,
) = range(len(COLUMNS))
# Problem.column names (from the domain and services) → grid columns.
COLUMN_OF = {name: i for i, name in enumerate(COLUMNS)} | {"完成情况": COL_CURRENT}
REQUIRED_TEXT = "必填"
WRONG_TINT = QColor("#fbd3d0")
REQUIRED_COLOUR = QColor("#c62828")
_BLANK = ("",)
QUALITATIVE_CHOICES = _BLANK + tuple(q.value for q in QualitativeProgress)
LIKELIHOOD_CHOICES = _BLANK + tuple(x.value for x in Likelihood)
CATEGORY_CHOICES = _BLANK + tuple(c.value for c in DeviationCategory)


@dataclass
class IndicatorDraft:
    """One indicator's cells as typed."""

    source: IndicatorLampRow
    basis: IndicatorProgress
    current: str
    likelihood: str
    expected: str
    category: str
    reason: str
    action: str
    lamp: LampResult = field(default_factory=lambda: LampResult(None, ""))

    @property
    def qualitative(self) -> bool:
        return self.basis.comparator is Comparator.QUALITATIVE

    @classmethod
    def of(cls, row: IndicatorLampRow, basis: IndicatorProgress) -> IndicatorDraft:
        qualitative = basis.comparator is Comparator.QUALITATIVE
        current = row.current_text if qualitative else _number_text(row.current_value)
        return cls(
            source=row,
            basis=basis,
            current=current,
            likelihood=row.likelihood,
            expected=_number_text(row.expected_value),
            category=row.deviation_category,
            reason=row.deviation_reason,
            action=row.corrective_action,
            lamp=LampResult(row.lamp, row.explanation),
        )


def _number_text(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def parse_number(text: str) -> Decimal | None:
    """A number as typed ("1,200", " 35 "); None for blank; ValueError if not a number."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    return None if not cleaned else parse_decimal(cleaned)


class IndicatorTableModel(QAbstractTableModel):
    edited = Signal()  # a cell changed: the form lights its lamps again

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.drafts: list[IndicatorDraft] = []
        self.read_only = False
        self._missing: set[tuple[int, int]] = set()  # (row, column) of required empty cells

    def set_drafts(self, drafts: Sequence[IndicatorDraft], read_only: bool) -> None:
        self.beginResetModel()
        self.drafts, self.read_only = list(drafts), read_only
        self._missing = set()
        self.endResetModel()

    def set_preview(self, lamps: Sequence[LampResult], missing: Sequence[Problem]) -> None:
        """Lamps as they would be saved, and the reasons still required (row is 1-based)."""
        for draft, lamp in zip(self.drafts, lamps, strict=True):
            draft.lamp = lamp
        self._missing = {
            (p.row - 1, COLUMN_OF[p.column])
            for p in missing
            if p.row is not None and p.column in COLUMN_OF
        }
        if self.drafts:
            last = self.index(len(self.drafts) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def is_required(self, row: int, column: int) -> bool:
        return (row, column) in self._missing

    def edits(self) -> tuple[IndicatorEdit, ...]:
        """Every indicator as an IndicatorEdit; unparseable numbers count as blank."""
        return tuple(edit_of(d) for d in self.drafts)

    def problems(self) -> list[Problem]:
        """Numbers that do not parse, located by row (1-based) and column."""
        found = []
        for n, d in enumerate(self.drafts, start=1):
            for column, text in ((COL_CURRENT, d.current), (COL_EXPECTED, d.expected)):
                if column == COL_CURRENT and d.qualitative:
                    continue
                if _bad_number(text):
                    message = f"指标“{d.source.name}”：{COLUMNS[column]}“{text}”不是数字"
                    found.append(Problem(message, row=n, column=COLUMNS[column]))
        return found

    def choices(self, index: Index) -> tuple[str, ...] | None:
        """The fixed choices of a cell, or None for free text."""
        column = index.column()
        if column == COL_CURRENT and self.drafts[index.row()].qualitative:
            return QUALITATIVE_CHOICES
        return {COL_LIKELIHOOD: LIKELIHOOD_CHOICES, COL_CATEGORY: CATEGORY_CHOICES}.get(column)

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.drafts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and self._editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, row: int, column: int) -> bool:
        if column == COL_EXPECTED:
            return not self.drafts[row].qualitative
        return column in (COL_CURRENT, COL_LIKELIHOOD, COL_CATEGORY, COL_REASON, COL_ACTION)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        draft, row, column = self.drafts[index.row()], index.row(), index.column()
        if role == Qt.ItemDataRole.EditRole:
            return _raw(draft, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(draft, row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(draft, row, column)
        if role == Qt.ItemDataRole.ForegroundRole and self._shows_required(draft, row, column):
            return REQUIRED_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(draft, row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_LAMP:
            return lamp_icon(draft.lamp.lamp)
        return None

    def _shows_required(self, draft: IndicatorDraft, row: int, column: int) -> bool:
        return self.is_required(row, column) and not _raw(draft, column).strip()

    def _display(self, draft: IndicatorDraft, row: int, column: int) -> str:
        if column == COL_NAME:
            return draft.source.name
        if column == COL_TARGET:
            return draft.source.target
        if column == COL_LAMP:
            return lamp_text(draft.lamp.lamp)
        if self._shows_required(draft, row, column):
            return REQUIRED_TEXT
        text = _raw(draft, column)
        numeric = column == COL_EXPECTED or (column == COL_CURRENT and not draft.qualitative)
        if numeric and text.strip() and not _bad_number(text):
            return f"{text.strip()}{draft.basis.unit}"
        return text

    def _tooltip(self, draft: IndicatorDraft, row: int, column: int) -> str | None:
        if column == COL_NAME:
            return f"{draft.source.level1} › {draft.source.level2} › {draft.source.name}"
        if column == COL_LAMP:
            return draft.lamp.explanation
        if self.is_required(row, column):
            return f"{lamp_text(draft.lamp.lamp)}：关闭本轮监控前必须填写{COLUMNS[column]}"
        if column in (COL_CURRENT, COL_EXPECTED) and _bad_number(_raw(draft, column)):
            return "请填写数字" + (f"（单位：{draft.basis.unit}）" if draft.basis.unit else "")
        if column == COL_CURRENT and draft.qualitative:
            return "定性指标：选择 达成 / 部分达成 / 未达成"
        text = _raw(draft, column)
        return text if column in (COL_REASON, COL_ACTION) and text else None

    def _background(self, draft: IndicatorDraft, row: int, column: int) -> QColor | None:
        if column == COL_LAMP:
            return lamp_tint(draft.lamp.lamp)
        if self.is_required(row, column):
            return WRONG_TINT
        numeric = column == COL_EXPECTED or (column == COL_CURRENT and not draft.qualitative)
        if numeric and _bad_number(_raw(draft, column)):
            return WRONG_TINT
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        draft, text = self.drafts[index.row()], "" if value is None else str(value)
        attribute = _ATTRIBUTES[index.column()]
        if getattr(draft, attribute) == text:
            return False
        setattr(draft, attribute, text)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


_ATTRIBUTES = {
    COL_CURRENT: "current",
    COL_LIKELIHOOD: "likelihood",
    COL_EXPECTED: "expected",
    COL_CATEGORY: "category",
    COL_REASON: "reason",
    COL_ACTION: "action",
}


def _raw(draft: IndicatorDraft, column: int) -> str:
    attribute = _ATTRIBUTES.get(column)
    return "" if attribute is None else str(getattr(draft, attribute))


def _bad_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return True
    return False


def _safe_number(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


def edit_of(d: IndicatorDraft) -> IndicatorEdit:
    return IndicatorEdit(
        indicator_id=d.source.indicator_id,
        current_value=None if d.qualitative else _safe_number(d.current),
        current_text=d.current.strip() if d.qualitative else "",
        likelihood=d.likelihood,
        expected_value=None if d.qualitative else _safe_number(d.expected),
        deviation_category=d.category,
        deviation_reason=d.reason,
        corrective_action=d.action,
    )


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for cells with fixed choices, a line editor for the others."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        choices = model.choices(index) if isinstance(model, IndicatorTableModel) else None
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(list(choices))
        combo.setItemText(0, "（空）")
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = str(index.data(Qt.ItemDataRole.EditRole) or "")
            position = editor.findText(text) if text else 0
            editor.setCurrentIndex(max(position, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = "" if editor.currentIndex() == 0 else editor.currentText()
            model.setData(index, text, Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
