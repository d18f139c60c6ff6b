"""The reviewer's working paper (复核底稿) as an editable model over ReviewSheet rows.

Editable: 复核完成值 (a number; a band for a 定性 row), 复核得分 (定性 rows and the "其他"
deduction only: elsewhere the rules compute it), 扣分原因 and 备注. The entries are kept per
row until 保存 turns them into a ReviewEdit; 复核得分 and 偏离 show the saved review.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.enums import Comparator, QualitativeBand
from app.domain.money import parse_decimal
from app.domain.numbers import plain
from app.domain.review import DeductionReason
from app.services.spotcheck import ReviewEdit, ReviewItemEdit, SheetRow
from app.ui.widgets.formatting import score_text
from app.ui.widgets.row_table import (
    CENTER,
    FLAGGED_BACKGROUND,
    RIGHT,
    Column,
    Index,
    RowTableModel,
)

EDITABLE_BACKGROUND = QColor("#fffbe6")  # pale yellow: "type here"


@dataclass(frozen=True)
class Entry:
    """What the reviewer entered on one row (blank: keep the self-evaluation's value)."""

    value: Decimal | None = None
    band: QualitativeBand | None = None
    score: Decimal | None = None
    deduction: DeductionReason | None = None
    note: str = ""

    def is_blank(self) -> bool:
        return self == Entry()


def is_qualitative(row: SheetRow) -> bool:
    return row.nature == Comparator.QUALITATIVE.value


def saved_entry(row: SheetRow) -> Entry:
    deduction = DeductionReason(row.deduction_reason) if row.deduction_reason else None
    keeps_score = is_qualitative(row) or deduction is DeductionReason.OTHER
    return Entry(
        value=row.reviewed_value,
        band=row.reviewed_band,
        score=row.reviewed_score if keeps_score and row.reviewed_score is not None else None,
        deduction=deduction,
        note=row.note,
    )


SHEET_COLUMNS: tuple[Column[SheetRow], ...] = (
    Column("一级指标", lambda r: r.level1, sample="满意度指标"),
    Column("二级指标", lambda r: r.level2, sample="社会效益指标", tooltip=True),
    Column("三级指标", lambda r: r.name, sample="资金拨付及时率资金", tooltip=True),
    Column("指标性质", lambda r: r.nature, align=CENTER),
    Column("指标值", lambda r: r.target, sample="1200.00", tooltip=True),
    Column("单位", lambda r: r.unit, sample="元/平方米"),
    Column("分值", lambda r: score_text(r.points), align=RIGHT, sample="10.00"),
    Column("自评完成值", lambda r: r.self_actual, sample="部分达成", tooltip=True),
    Column("自评得分", lambda r: score_text(r.self_score), align=RIGHT),
    Column("复核完成值", lambda r: "", align=RIGHT, sample="部分达成"),
    Column("复核得分", lambda r: score_text(r.reviewed_score), align=RIGHT),
    Column("偏离", lambda r: score_text(r.deviation), align=RIGHT, sample="-10.00"),
    Column("扣分原因", lambda r: "", sample="指标与项目无关"),
    Column("备注", lambda r: "", sample="凭证缺失，无法核实"),
)
(
    C_LEVEL1, C_LEVEL2, C_NAME, C_NATURE, C_TARGET, C_UNIT, C_POINTS, C_SELF_ACTUAL,
    C_SELF_SCORE, C_VALUE, C_SCORE, C_DEVIATION, C_DEDUCTION, C_NOTE,
) = range(len(SHEET_COLUMNS))  # fmt: skip
EDITABLE = (C_VALUE, C_SCORE, C_DEDUCTION, C_NOTE)


class ReviewSheetModel(RowTableModel[SheetRow]):
    """`entry_rejected(message)` tells the dialog why a typed value was not taken;
    `entry_accepted()` that the last entry was taken (the old message is out of date)."""

    entry_rejected = Signal(str)
    entry_accepted = Signal()  # a valid entry: an earlier rejection no longer applies

    def __init__(self, parent: Any = None) -> None:
        super().__init__(SHEET_COLUMNS, parent)
        self.entries: dict[int, Entry] = {}
        self.changed = False

    def set_rows(self, rows: Any) -> None:
        self.entries = {r.evaluation_indicator_id: saved_entry(r) for r in rows}
        self.changed = False
        super().set_rows(rows)

    def entry(self, row: SheetRow) -> Entry:
        return self.entries.get(row.evaluation_indicator_id, Entry())

    def review_edit(self, reviewed_spent: Decimal | None) -> ReviewEdit:
        items = tuple(
            ReviewItemEdit(
                evaluation_indicator_id=row_id,
                reviewed_value=e.value,
                reviewed_band=e.band,
                reviewed_score=e.score,
                deduction=e.deduction,
                note=e.note,
            )
            for row_id, e in self.entries.items()
            if not e.is_blank()
        )
        return ReviewEdit(reviewed_spent=reviewed_spent, items=items)

    def row_background(self, row: SheetRow) -> QColor | None:
        return FLAGGED_BACKGROUND if row.flags else None

    def cell_tooltip(self, row: SheetRow, column: int) -> str:
        text = super().cell_tooltip(row, column)
        if column == C_SELF_SCORE:
            text = f"按规则计算：{score_text(row.rule_score)}　{row.rule_explanation}"
        if row.flags:
            text = "\n".join([text, *(f"疑点：{f}" for f in row.flags)]).strip()
        return text

    # -- editing -------------------------------------------------------------------------
    def score_editable(self, row: SheetRow) -> bool:
        return is_qualitative(row) or self.entry(row).deduction is DeductionReason.OTHER

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or index.column() not in EDITABLE:
            return base
        if index.column() == C_SCORE and not self.score_editable(self.row_at(index.row())):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row_at(index.row()), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            shown = self._entry_text(row, column)
            if shown is not None:
                return shown
        editable = self.flags(index) & Qt.ItemFlag.ItemIsEditable
        if role == Qt.ItemDataRole.BackgroundRole and editable:
            return QBrush(EDITABLE_BACKGROUND)
        return super().data(index, role)

    def _entry_text(self, row: SheetRow, column: int) -> str | None:
        e = self.entry(row)
        if column == C_VALUE:
            if e.band is not None:
                return e.band.value
            return "" if e.value is None else plain(e.value)
        if column == C_SCORE and e.score is not None:
            return score_text(e.score)
        if column == C_DEDUCTION:
            return e.deduction.value if e.deduction else ""
        if column == C_NOTE:
            return e.note
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self.row_at(index.row())
        try:
            entry = self._edited(row, index.column(), str(value or "").strip())
        except ValueError as exc:
            self.entry_rejected.emit(f"指标“{row.name}”：{exc}")
            return False
        self.entries[row.evaluation_indicator_id] = entry
        self.changed = True
        self.entry_accepted.emit()
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), C_NOTE))
        return True

    def _edited(self, row: SheetRow, column: int, text: str) -> Entry:
        e = self.entry(row)
        if column == C_VALUE:
            if is_qualitative(row):
                return replace(e, band=QualitativeBand(text) if text else None, score=None)
            return replace(e, value=_number(text, "复核完成值"))
        if column == C_SCORE:
            score = _number(text, "复核得分")
            if score is not None and not Decimal(0) <= score <= row.points:
                raise ValueError(f"复核得分应在 0 到 {plain(row.points)} 之间")
            return replace(e, score=score)
        if column == C_DEDUCTION:
            deduction = DeductionReason(text) if text else None
            keep = is_qualitative(row) or deduction is DeductionReason.OTHER
            return replace(e, deduction=deduction, score=e.score if keep else None)
        return replace(e, note=text)


def _number(text: str, what: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError as exc:
        raise ValueError(f"{what}“{text}”不是数字") from exc
