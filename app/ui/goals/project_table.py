"""The year's projects as a table model: filtered and sorted in Python, not by a proxy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from app.services.common.catalog import ProjectRow
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel
from app.ui.widgets.row_table import VALUE_ROLE as VALUE_ROLE

# 状态 sorts in workflow order, not by character code (which put 已退回 first): the goals
# still to fill in, then those back with the unit, then the reviewer's queue, then done.
STATUS_ORDER = {"未填报": 0, "草稿": 1, "已退回": 2, "待审核": 3, "已通过": 4}

COLUMNS: tuple[Column[ProjectRow], ...] = (
    Column("单位", lambda r: r.department_name, key=lambda r: (r.department_code, r.code),
           tooltip=True),
    Column("项目编码", lambda r: r.code),
    Column("项目名称", lambda r: r.name, key=lambda r: (r.name, r.code), tooltip=True),
    Column("资金总额（万元）", lambda r: wan_text(r.total_amount), lambda r: r.total_amount,
           key=lambda r: (r.total_amount, r.code), align=RIGHT),
    Column("状态", lambda r: r.status,
           key=lambda r: (STATUS_ORDER.get(r.status, len(STATUS_ORDER)), r.code)),
    Column("指标数", lambda r: str(r.indicator_count), lambda r: r.indicator_count,
           key=lambda r: (r.indicator_count, r.code), align=RIGHT),
)  # fmt: skip
COL_DEPARTMENT, COL_CODE, COL_NAME, COL_AMOUNT, COL_STATUS, COL_INDICATORS = range(6)
format_wan_yuan = wan_text  # the name goals/page.py imports


class ProjectTableModel(RowTableModel[ProjectRow]):
    """Rows are ProjectRow dataclasses; `set_filter` and `sort` rebuild the visible list."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._sort = (COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)

    def set_filter(self, text: str, department_ids: frozenset[int] | None) -> None:
        """Keep rows whose code, name or unit contains every word of text, in the units."""
        terms = [t.casefold() for t in text.split()]

        def keep(row: ProjectRow) -> bool:
            if department_ids is not None and row.department_id not in department_ids:
                return False
            haystack = f"{row.code}\n{row.name}\n{row.department_code}\n{row.department_name}"
            return all(term in haystack.casefold() for term in terms)

        self.set_predicate(keep)

    def total_amount(self) -> Decimal:
        """Sum in 元 of the visible rows."""
        return sum((r.total_amount for r in self.visible_rows()), Decimal(0))
