"""Table models of the 结果应用 page: department totals and the editable proposals.

Editing 确定调减 to a figure other than the proposal needs a reason: the figure is held
(shown in red) until a reason is typed, and only then sent to the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.money import YUAN_PER_WAN, parse_decimal, round2
from app.services.results.records import AdjustmentRow
from app.ui.widgets.formatting import percent_text, wan_text
from app.ui.widgets.row_table import CENTER, RIGHT, Column, Index, RowTableModel, nullable

ALL_DEPARTMENTS = "全部单位"
PENDING_COLOUR = QColor("#c62828")
EDITABLE_BACKGROUND = QColor("#fffbe6")
NOT_DECIDED = "—"  # a proposal nobody confirmed yet


@dataclass(frozen=True)
class DepartmentLine:
    code: str | None  # None: the overall line
    name: str
    count: int
    base: Decimal
    proposed_cut: Decimal
    decided_cut: Decimal  # confirmed cuts only; undecided proposals are not counted
    decided: int  # how many rows are decided


def department_lines(rows: Sequence[AdjustmentRow]) -> list[DepartmentLine]:
    """The overall line first, then one per department in the rows' order."""
    groups: dict[str, list[AdjustmentRow]] = {}
    for row in rows:
        groups.setdefault(row.department_code, []).append(row)
    lines = [_line(None, ALL_DEPARTMENTS, list(rows))]
    lines += [_line(code, items[0].department, items) for code, items in groups.items()]
    return lines


def _line(code: str | None, name: str, rows: list[AdjustmentRow]) -> DepartmentLine:
    return DepartmentLine(
        code, name, len(rows),
        sum((r.base for r in rows), Decimal(0)),
        sum((r.proposed_cut for r in rows), Decimal(0)),
        sum((r.decided_cut for r in rows if r.decided_cut is not None), Decimal(0)),
        sum(r.decided_cut is not None for r in rows),
    )  # fmt: skip


def _line_decided_text(r: DepartmentLine) -> str:
    return wan_text(r.decided_cut) if r.decided else NOT_DECIDED


DEPARTMENT_COLUMNS: tuple[Column[DepartmentLine], ...] = (
    # Names like 中共示例县委员会办公室 differ only at the end: wide enough, tooltip for the rest.
    Column("单位", lambda r: r.name, sample="中共示例县委员会办公室", tooltip=True),
    Column("项目", lambda r: str(r.count), lambda r: r.count, RIGHT, "999"),
    Column("基数", lambda r: wan_text(r.base), lambda r: r.base, RIGHT, "999,999.99"),
    Column("建议调减", lambda r: wan_text(r.proposed_cut), lambda r: r.proposed_cut, RIGHT,
           "99,999.99"),
    Column("确定调减", _line_decided_text, lambda r: r.decided_cut, RIGHT, "99,999.99"),
)  # fmt: skip


class DepartmentTableModel(RowTableModel[DepartmentLine]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(DEPARTMENT_COLUMNS, parent)

    def row_bold(self, row: DepartmentLine) -> bool:
        return row.code is None


def _decided_text(r: AdjustmentRow) -> str:
    return NOT_DECIDED if r.decided_cut is None else wan_text(r.decided_cut)


def _grade_text(r: AdjustmentRow) -> str:
    return f"{r.grade}（{r.grade_source}）" if r.grade and r.grade_source else r.grade


# Amounts in 万元 (the page says so once); what the user decides comes first, so that
# 确定调减 and 调整理由 are on screen at 1280×800.
ADJUSTMENT_COLUMNS: tuple[Column[AdjustmentRow], ...] = (
    Column("项目编码", lambda r: r.project_code, sample="219001001001"),
    Column("项目名称", lambda r: r.project_name, lambda r: (r.project_name, r.project_code),
           sample="农村义务教育学生", tooltip=True),
    Column("建议调减", lambda r: wan_text(r.proposed_cut), lambda r: r.proposed_cut, RIGHT,
           "99,999.99"),
    Column("确定调减", _decided_text, lambda r: nullable(r.decided_cut), RIGHT, "99,999.99"),
    Column("调整理由", lambda r: r.decision_reason, sample="已列入县委重点保障",
           tooltip=True),
    Column("等级", _grade_text, lambda r: (r.grade, r.project_code), CENTER, "中（复核）"),
    Column("基数", lambda r: wan_text(r.base), lambda r: r.base, RIGHT, "99,999.99"),
    Column("调整后", lambda r: wan_text(r.final_amount), lambda r: r.final_amount, RIGHT,
           "99,999.99"),
    Column("调减比例", lambda r: percent_text(r.cut_ratio), lambda r: r.cut_ratio, RIGHT),
    Column("建议", lambda r: r.action, align=CENTER, sample="暂缓安排"),
    Column("依据", lambda r: r.basis, sample="自评等级中，按规则调减20%", tooltip=True),
    Column("单位", lambda r: r.department, lambda r: (r.department_code, r.project_code),
           sample="中共示例县委员会办公室", tooltip=True),
)  # fmt: skip
COL_CODE, COL_NAME, COL_DECIDED, COL_REASON = 0, 1, 3, 4


def parse_wan(text: str) -> Decimal:
    """万元 typed by the user → 元, to the 分."""
    try:
        value = parse_decimal(text.replace(",", "").replace("，", ""))
    except ValueError as exc:
        raise ValueError(f"“{text}”不是数字（单位：万元）") from exc
    return round2(value * YUAN_PER_WAN)


class AdjustmentTableModel(RowTableModel[AdjustmentRow]):
    """`decision_requested(adjustment_id, cut_yuan, reason)` asks the page to save;
    `problem_found(message)` reports an entry that cannot be saved yet."""

    decision_requested = Signal(int, object, str)
    problem_found = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ADJUSTMENT_COLUMNS, parent)
        self.pending: dict[int, Decimal] = {}  # a changed cut waiting for its reason

    def set_rows(self, rows: Sequence[AdjustmentRow]) -> None:
        self.pending.clear()
        super().set_rows(rows)

    def update_row(self, new: AdjustmentRow) -> None:
        """The service's answer after a decision; the row stays where it is."""
        self.pending.pop(new.adjustment_id, None)
        old = next((r for r in self.all_rows() if r.adjustment_id == new.adjustment_id), None)
        if old is not None:
            self.swap_row(old, new)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in (COL_DECIDED, COL_REASON):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row_at(index.row()), index.column()
        waiting = self.pending.get(row.adjustment_id)
        if column == COL_DECIDED and waiting is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return wan_text(waiting)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(PENDING_COLOUR)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "与建议不同，须填写调整理由后才能保存"
        if role == Qt.ItemDataRole.EditRole and column == COL_DECIDED:
            return wan_text(row.final_cut).replace(",", "")
        if role == Qt.ItemDataRole.BackgroundRole and column in (COL_DECIDED, COL_REASON):
            return QBrush(EDITABLE_BACKGROUND)
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in (COL_DECIDED, COL_REASON):
            return False
        row, text = self.row_at(index.row()), str(value or "").strip()
        if index.column() == COL_DECIDED:
            if not text:
                return False
            try:
                cut = parse_wan(text)
            except ValueError as exc:
                self.problem_found.emit(f"项目“{row.project_code}”的确定调减数{exc}。")
                return False
            reason = row.decision_reason
        else:
            cut = self.pending.get(row.adjustment_id, row.final_cut)
            reason = text
        if cut != row.proposed_cut and not reason:
            self.pending[row.adjustment_id] = cut
            self.dataChanged.emit(index, index)
            self.problem_found.emit(
                f"项目“{row.project_code}”的确定调减数 {wan_text(cut)} 万元与建议的 "
                f"{wan_text(row.proposed_cut)} 万元不同，请在“调整理由”栏填写理由，填写后才保存。"
            )
            return True
        self.decision_requested.emit(row.adjustment_id, cut, reason)
        return True
