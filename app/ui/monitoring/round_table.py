"""A round's projects with their lamps, as a table model filtered and sorted in Python.

Filters are the services' own (filter_rows, lagging), so the screen lists exactly what the
command line and the reports list.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.enums import Lamp
from app.services.monitoring import ProjectMonitoringRow, filter_rows, lagging
from app.ui.widgets.formatting import percent_text, wan_text
from app.ui.widgets.lamp import SEVERITY, lamp_icon, lamp_text, lamp_tint
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel
from app.ui.widgets.row_table import VALUE_ROLE as VALUE_ROLE  # the exact value (Decimal, Lamp)

Row = ProjectMonitoringRow
UNLIT = "unlit"  # lamp filter: projects with no lamp lit
HINT_COLOUR = QColor("#888888")  # "未填写" is a hint, not an answer


def gap_points(row: Row) -> Decimal | None:
    """How many percentage points spending lags 序时进度 (negative: ahead)."""
    return None if row.gap is None else row.gap * 100


def _gap_text(row: Row) -> str:
    gap = gap_points(row)
    return "—" if gap is None else f"{gap:.2f}"


def _where(row: Row) -> str:
    return f"{row.department_name}（{row.section}）\n{row.project_code} {row.project_name}"


def _project_lamp_tooltip(row: Row) -> str:
    warned = (Lamp.RED, Lamp.YELLOW)
    flagged = [f"{i.name}：{i.explanation}" for i in row.indicators if i.lamp in warned]
    lines = [f"项目灯取最差的灯：{lamp_text(row.project_lamp)}", *flagged, *row.notices]
    missing = [p.message for p in row.missing_reasons if p.blocking]
    if missing:
        lines += ["尚未填写：", *missing]
    return "\n".join(lines)


COLUMNS: tuple[Column[Row], ...] = (
    Column("单位", lambda r: r.department_name, key=lambda r: r.department_code,
           tooltip=_where),
    Column("项目编码", lambda r: r.project_code),
    Column("项目名称", lambda r: r.project_name, tooltip=_where),
    Column("调整后预算(A)\n万元", lambda r: wan_text(r.adjusted_budget),
           lambda r: r.adjusted_budget, align=RIGHT),
    Column("执行数(B)\n万元", lambda r: wan_text(r.spent), lambda r: r.spent, align=RIGHT),
    Column("执行率", lambda r: percent_text(r.execution_rate) or "—", lambda r: r.execution_rate,
           key=lambda r: (r.execution_rate is not None, r.execution_rate or 0), align=RIGHT),
    Column("序时进度", lambda r: percent_text(r.time_progress), lambda r: r.time_progress,
           align=RIGHT),
    Column("预算灯", lambda r: lamp_text(r.budget_lamp), lambda r: r.budget_lamp,
           key=lambda r: SEVERITY[r.budget_lamp], tooltip=lambda r: r.budget_explanation,
           decoration=lambda r: lamp_icon(r.budget_lamp),
           background=lambda r: lamp_tint(r.budget_lamp)),
    Column("项目灯", lambda r: lamp_text(r.project_lamp), lambda r: r.project_lamp,
           key=lambda r: SEVERITY[r.project_lamp], tooltip=_project_lamp_tooltip,
           decoration=lambda r: lamp_icon(r.project_lamp),
           background=lambda r: lamp_tint(r.project_lamp)),
    Column("处理意见", lambda r: r.conclusion or "未填写", lambda r: r.conclusion,
           tooltip=lambda r: r.conclusion_note,
           foreground=lambda r: None if r.conclusion else HINT_COLOUR),
    Column("落后序时进度\n百分点", _gap_text, lambda r: r.gap,
           key=lambda r: (r.gap is not None, r.gap or 0), align=RIGHT),
)  # fmt: skip
(
    COL_DEPARTMENT,
    COL_CODE,
    COL_NAME,
    COL_BUDGET,
    COL_SPENT,
    COL_RATE,
    COL_TIME,
    COL_BUDGET_LAMP,
    COL_PROJECT_LAMP,
    COL_CONCLUSION,
    COL_GAP,
) = range(len(COLUMNS))
_BY_UNIT = (COL_DEPARTMENT, Qt.SortOrder.AscendingOrder)


class RoundTableModel(RowTableModel[Row]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._terms: list[str] = []
        self._section: str | None = None
        self._department: str | None = None
        self._lamp: Lamp | str | None = None
        self._lagging = False
        self._sort = _BY_UNIT

    # -- data in ---------------------------------------------------------------------------
    def replace_row(self, row: Row) -> None:
        """A project's row after an edit; the filters and the order are applied again."""
        self.set_rows([row if r.entry_id == row.entry_id else r for r in self.all_rows()])

    def set_filter(
        self,
        text: str = "",
        section: str | None = None,
        department: str | None = None,
        lamp: Lamp | str | None = None,
    ) -> None:
        """Words of `text` must all appear in the code, name or unit; None means any."""
        self._terms = [t.casefold() for t in text.split()]
        self._section, self._department, self._lamp = section, department, lamp
        self._rebuild()

    def set_lagging(self, on: bool) -> None:
        """Only projects behind 序时进度, the largest gap first (the service's order)."""
        self._lagging = on
        self._sort = (COL_GAP, Qt.SortOrder.DescendingOrder) if on else _BY_UNIT
        self._rebuild()

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort or _BY_UNIT

    def row_of_entry(self, entry_id: int) -> int:
        """The visible row of an entry, or -1."""
        return next((i for i, r in enumerate(self.visible_rows()) if r.entry_id == entry_id), -1)

    def arrange(self, rows: list[Row]) -> list[Row]:
        lamp = self._lamp if isinstance(self._lamp, Lamp) else None
        rows = filter_rows(rows, section=self._section, department=self._department, lamp=lamp)
        if self._lamp == UNLIT:
            rows = [r for r in rows if r.project_lamp is None]
        if self._terms:
            rows = [r for r in rows if self._matches(r)]
        column, order = self.sort_state
        reverse = order == Qt.SortOrder.DescendingOrder
        if self._lagging:
            rows = lagging(rows)  # only the projects behind, the largest gap first
            if column == COL_GAP:
                return rows if reverse else rows[::-1]
        # Code first, then the column (stable even reversed): ties always by project code.
        rows.sort(key=lambda r: r.project_code)
        rows.sort(key=self.sort_key(column), reverse=reverse)
        return rows

    def _matches(self, row: Row) -> bool:
        haystack = "\n".join(
            (row.project_code, row.project_name, row.department_code, row.department_name)
        ).casefold()
        return all(term in haystack for term in self._terms)
