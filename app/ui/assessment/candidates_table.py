"""Projects that trigger an ex-ante assessment, as a table model (filtered in Python)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.services.assessment.records import CandidateRow
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel

FILTERS = ("全部", "待评估", "已评估", "免于评估")
WAITING_COLOR = QColor(176, 60, 0)


def state_text(row: CandidateRow) -> str:
    if row.exempt:
        return "免于评估"
    if row.conclusion is not None:
        return str(row.conclusion)
    return "待评估"


def _why(row: CandidateRow) -> str:
    return "\n".join((*row.reasons, row.exemption_text)).strip()


COLUMNS: tuple[Column[CandidateRow], ...] = (
    Column("单位", lambda r: r.department_name, key=lambda r: (r.department_code, r.project_code)),
    Column("项目编码", lambda r: r.project_code),
    Column("项目名称", lambda r: r.project_name, key=lambda r: (r.project_name, r.project_code),
           tooltip=_why),
    Column("资金总额（万元）", lambda r: wan_text(r.amount), lambda r: r.amount,
           key=lambda r: (r.amount, r.project_code), align=RIGHT),
    Column("评估原因", lambda r: "；".join(r.reasons),
           key=lambda r: (len(r.reasons), r.project_code), tooltip=_why),
    Column("评估状态", state_text, key=lambda r: (state_text(r), r.project_code), tooltip=_why,
           foreground=lambda r: WAITING_COLOR if r.approval_blocked else None),
)  # fmt: skip
COL_DEPARTMENT, COL_CODE, COL_NAME, COL_AMOUNT, COL_REASONS, COL_STATE = range(6)


def _matches_filter(row: CandidateRow, name: str) -> bool:
    if name == "待评估":
        return row.required and row.conclusion is None
    if name == "已评估":
        return row.conclusion is not None
    if name == "免于评估":
        return row.exempt
    return True


class CandidateTableModel(RowTableModel[CandidateRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._sort = (COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)

    def set_filter(self, name: str, text: str = "") -> None:
        terms = [t.casefold() for t in text.split()]

        def keep(row: CandidateRow) -> bool:
            haystack = f"{row.project_code}\n{row.project_name}\n{row.department_name}"
            return _matches_filter(row, name) and all(t in haystack.casefold() for t in terms)

        self.set_predicate(keep)

    def row_of(self, project_id: int) -> int | None:
        rows = self.visible_rows()
        return next((i for i, r in enumerate(rows) if r.project_id == project_id), None)
