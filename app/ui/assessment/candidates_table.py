"""Projects that trigger an ex-ante assessment, as a table model (filtered in Python)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.money import YUAN_PER_WAN, round2
from app.services.pre_assessment import CandidateRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("单位", "项目编码", "项目名称", "资金总额（万元）", "评估原因", "评估状态")
COL_DEPARTMENT, COL_CODE, COL_NAME, COL_AMOUNT, COL_REASONS, COL_STATE = range(6)
FILTERS = ("全部", "待评估", "已评估", "免于评估")
WAITING_COLOR = QColor(176, 60, 0)

_SORT_KEYS: dict[int, Callable[[CandidateRow], Any]] = {
    COL_DEPARTMENT: lambda r: (r.department_code, r.project_code),
    COL_CODE: lambda r: r.project_code,
    COL_NAME: lambda r: (r.project_name, r.project_code),
    COL_AMOUNT: lambda r: (r.amount, r.project_code),
    COL_REASONS: lambda r: (len(r.reasons), r.project_code),
    COL_STATE: lambda r: (state_text(r), r.project_code),
}


def state_text(row: CandidateRow) -> str:
    if row.exempt:
        return "免于评估"
    if row.conclusion is not None:
        return str(row.conclusion)
    return "待评估"


def wan_text(yuan: Decimal) -> str:
    return f"{round2(yuan / YUAN_PER_WAN):,.2f}"


def _matches_filter(row: CandidateRow, name: str) -> bool:
    if name == "待评估":
        return row.required and row.conclusion is None
    if name == "已评估":
        return row.conclusion is not None
    if name == "免于评估":
        return row.exempt
    return True


class CandidateTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CandidateRow] = []
        self._rows: list[CandidateRow] = []
        self._filter = FILTERS[0]
        self._terms: list[str] = []
        self._sort = (COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: Sequence[CandidateRow]) -> None:
        self._all = list(rows)
        self._rebuild()

    def set_filter(self, name: str, text: str = "") -> None:
        self._filter = name
        self._terms = [t.casefold() for t in text.split()]
        self._rebuild()

    def row_at(self, row: int) -> CandidateRow:
        return self._rows[row]

    def row_of(self, project_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.project_id == project_id), None)

    def _keep(self, row: CandidateRow) -> bool:
        if not _matches_filter(row, self._filter):
            return False
        text = f"{row.project_code}\n{row.project_name}\n{row.department_name}".casefold()
        return all(term in text for term in self._terms)

    def _rebuild(self) -> None:
        self.beginResetModel()
        column, order = self._sort
        rows = [r for r in self._all if self._keep(r)]
        rows.sort(key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_REASONS, COL_NAME, COL_STATE):
            return "\n".join((*row.reasons, row.exemption_text)).strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATE and row.approval_blocked:
            return WAITING_COLOR
        return None

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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column in _SORT_KEYS:
            self._sort = (column, order)
            self._rebuild()


def _display(row: CandidateRow, column: int) -> str:
    if column == COL_DEPARTMENT:
        return row.department_name
    if column == COL_CODE:
        return row.project_code
    if column == COL_NAME:
        return row.project_name
    if column == COL_AMOUNT:
        return wan_text(row.amount)
    if column == COL_REASONS:
        return "；".join(row.reasons)
    return state_text(row)
