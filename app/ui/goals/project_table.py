"""The year's projects as a table model: filtered and sorted in Python, not by a proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.money import YUAN_PER_WAN, round2
from app.services.catalog import ProjectRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("单位", "项目编码", "项目名称", "资金总额（万元）", "状态", "指标数")
COL_DEPARTMENT, COL_CODE, COL_NAME, COL_AMOUNT, COL_STATUS, COL_INDICATORS = range(6)
RIGHT_ALIGNED = (COL_AMOUNT, COL_INDICATORS)
# The exact value of a cell for code (sorting, tests, later export): Decimal 元 for money.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1

# 状态 sorts in workflow order, not by character code (which put 已退回 first): the goals
# still to fill in, then those back with the unit, then the reviewer's queue, then done.
STATUS_ORDER = {"未填报": 0, "草稿": 1, "已退回": 2, "待审核": 3, "已通过": 4}

_SORT_KEYS: dict[int, Callable[[ProjectRow], Any]] = {
    COL_DEPARTMENT: lambda r: (r.department_code, r.code),
    COL_CODE: lambda r: r.code,
    COL_NAME: lambda r: (r.name, r.code),
    COL_AMOUNT: lambda r: (r.total_amount, r.code),
    COL_STATUS: lambda r: (STATUS_ORDER.get(r.status, len(STATUS_ORDER)), r.code),
    COL_INDICATORS: lambda r: (r.indicator_count, r.code),
}


def to_wan(amount_yuan: Decimal) -> Decimal:
    return round2(amount_yuan / YUAN_PER_WAN)


def format_wan_yuan(amount_yuan: Decimal) -> str:
    """An amount in 元 shown in 万元 with two decimals and thousands separators."""
    return f"{to_wan(amount_yuan):,.2f}"


class ProjectTableModel(QAbstractTableModel):
    """Rows are ProjectRow dataclasses; `set_filter` and `sort` rebuild the visible list."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ProjectRow] = []
        self._rows: list[ProjectRow] = []
        self._terms: list[str] = []
        self._department_ids: frozenset[int] | None = None
        self._sort_column = COL_DEPARTMENT
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[ProjectRow]) -> None:
        self._all = list(rows)
        self._rebuild()

    def set_filter(self, text: str, department_ids: frozenset[int] | None) -> None:
        """Keep rows whose code, name or unit contains every word of text, in the units."""
        self._terms = [t.casefold() for t in text.split()]
        self._department_ids = department_ids
        self._rebuild()

    def visible_rows(self) -> list[ProjectRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ProjectRow:
        return self._rows[row]

    def total_amount(self) -> Decimal:
        """Sum in 元 of the visible rows."""
        return sum((r.total_amount for r in self._rows), Decimal(0))

    def _matches(self, row: ProjectRow) -> bool:
        if self._department_ids is not None and row.department_id not in self._department_ids:
            return False
        if not self._terms:
            return True
        haystack = f"{row.code}\n{row.name}\n{row.department_code}\n{row.department_name}"
        haystack = haystack.casefold()
        return all(term in haystack for term in self._terms)

    def _rebuild(self) -> None:
        self.beginResetModel()
        rows = [r for r in self._all if self._matches(r)]
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        rows.sort(key=_SORT_KEYS[self._sort_column], reverse=reverse)
        self._rows = rows
        self.endResetModel()

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_NAME, COL_DEPARTMENT):
            return _display(row, column)
        if role == VALUE_ROLE:
            return _value(row, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in RIGHT_ALIGNED:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in _SORT_KEYS:
            return
        self._sort_column, self._sort_order = column, order
        self._rebuild()


def _display(row: ProjectRow, column: int) -> str:
    if column == COL_DEPARTMENT:
        return row.department_name
    if column == COL_CODE:
        return row.code
    if column == COL_NAME:
        return row.name
    if column == COL_AMOUNT:
        return format_wan_yuan(row.total_amount)
    if column == COL_STATUS:
        return row.status
    return str(row.indicator_count)


def _value(row: ProjectRow, column: int) -> Any:
    if column == COL_AMOUNT:
        return row.total_amount
    if column == COL_INDICATORS:
        return row.indicator_count
    return _display(row, column)
