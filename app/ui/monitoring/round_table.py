"""A round's projects with their lamps, as a table model filtered and sorted in Python.

Filters are the services' own (filter_rows, lagging), so the screen lists exactly what the
command line and the reports list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.enums import Lamp
from app.domain.money import format_percent
from app.services.monitoring import ProjectMonitoringRow, filter_rows, lagging
from app.ui.goals.project_table import format_wan_yuan
from app.ui.widgets.lamp import SEVERITY, lamp_icon, lamp_text, lamp_tint

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "单位",
    "项目编码",
    "项目名称",
    "调整后预算(A)\n万元",
    "执行数(B)\n万元",
    "执行率",
    "序时进度",
    "预算灯",
    "项目灯",
    "处理意见",
    "落后序时进度\n百分点",
)
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
RIGHT_ALIGNED = (COL_BUDGET, COL_SPENT, COL_RATE, COL_TIME, COL_GAP)
LAMP_COLUMNS = (COL_BUDGET_LAMP, COL_PROJECT_LAMP)
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the exact value (Decimal 元, fractions, Lamp)
UNLIT = "unlit"  # lamp filter: projects with no lamp lit

Row = ProjectMonitoringRow
_SORT_KEYS: dict[int, Callable[[Row], Any]] = {
    COL_DEPARTMENT: lambda r: r.department_code,
    COL_CODE: lambda r: r.project_code,
    COL_NAME: lambda r: r.project_name,
    COL_BUDGET: lambda r: r.adjusted_budget,
    COL_SPENT: lambda r: r.spent,
    COL_RATE: lambda r: (r.execution_rate is not None, r.execution_rate or 0),
    COL_TIME: lambda r: r.time_progress,
    COL_BUDGET_LAMP: lambda r: SEVERITY[r.budget_lamp],
    COL_PROJECT_LAMP: lambda r: SEVERITY[r.project_lamp],
    COL_CONCLUSION: lambda r: r.conclusion,
    COL_GAP: lambda r: (r.gap is not None, r.gap or 0),
}


def gap_points(row: Row) -> Decimal | None:
    """How many percentage points spending lags 序时进度 (negative: ahead)."""
    return None if row.gap is None else row.gap * 100


class RoundTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Row] = []
        self._rows: list[Row] = []
        self._terms: list[str] = []
        self._section: str | None = None
        self._department: str | None = None
        self._lamp: Lamp | str | None = None
        self._lagging = False
        self._sort_column = COL_DEPARTMENT
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ---------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self._all = list(rows)
        self._rebuild()

    def replace_row(self, row: Row) -> None:
        """A project's row after an edit; the filters and the order are applied again."""
        self._all = [row if r.entry_id == row.entry_id else r for r in self._all]
        self._rebuild()

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
        if on:
            self._sort_column, self._sort_order = COL_GAP, Qt.SortOrder.DescendingOrder
        else:
            self._sort_column, self._sort_order = COL_DEPARTMENT, Qt.SortOrder.AscendingOrder
        self._rebuild()

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def all_rows(self) -> list[Row]:
        return list(self._all)

    def visible_rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def row_of_entry(self, entry_id: int) -> int:
        """The visible row of an entry, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.entry_id == entry_id), -1)

    def _rebuild(self) -> None:
        self.beginResetModel()
        lamp = self._lamp if isinstance(self._lamp, Lamp) else None
        rows = filter_rows(self._all, section=self._section, department=self._department, lamp=lamp)
        if self._lamp == UNLIT:
            rows = [r for r in rows if r.project_lamp is None]
        if self._terms:
            rows = [r for r in rows if self._matches(r)]
        self._rows = self._ordered(rows)
        self.endResetModel()

    def _ordered(self, rows: list[Row]) -> list[Row]:
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        if self._lagging:
            rows = lagging(rows)  # only the projects behind, the largest gap first
            if self._sort_column == COL_GAP:
                return rows if reverse else rows[::-1]
        # Code first, then the column (stable even reversed): ties always by project code.
        rows.sort(key=lambda r: r.project_code)
        rows.sort(key=_SORT_KEYS[self._sort_column], reverse=reverse)
        return rows

    def _matches(self, row: Row) -> bool:
        haystack = "\n".join(
            (row.project_code, row.project_name, row.department_code, row.department_name)
        ).casefold()
        return all(term in haystack for term in self._terms)

    # -- Qt model API ----------------------------------------------------------------------
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
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == VALUE_ROLE:
            return _value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_CONCLUSION:
            return None if row.conclusion else QColor("#888888")  # "未填写" is a hint
        if column in LAMP_COLUMNS:
            lamp = _value(row, column)
            if role == Qt.ItemDataRole.DecorationRole:
                return lamp_icon(lamp)
            if role == Qt.ItemDataRole.BackgroundRole:
                return lamp_tint(lamp)
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


def _gap_text(row: Row) -> str:
    gap = gap_points(row)
    return "—" if gap is None else f"{gap:.2f}"


_DISPLAY: dict[int, Callable[[Row], str]] = {
    COL_DEPARTMENT: lambda r: r.department_name,
    COL_CODE: lambda r: r.project_code,
    COL_NAME: lambda r: r.project_name,
    COL_BUDGET: lambda r: format_wan_yuan(r.adjusted_budget),
    COL_SPENT: lambda r: format_wan_yuan(r.spent),
    COL_RATE: lambda r: format_percent(r.execution_rate) or "—",
    COL_TIME: lambda r: format_percent(r.time_progress),
    COL_BUDGET_LAMP: lambda r: lamp_text(r.budget_lamp),
    COL_PROJECT_LAMP: lambda r: lamp_text(r.project_lamp),
    COL_CONCLUSION: lambda r: r.conclusion or "未填写",
    COL_GAP: _gap_text,
}


def _display(row: Row, column: int) -> str:
    return _DISPLAY[column](row)


def _value(row: Row, column: int) -> Any:
    values = {
        COL_BUDGET: row.adjusted_budget,
        COL_SPENT: row.spent,
        COL_RATE: row.execution_rate,
        COL_TIME: row.time_progress,
        COL_BUDGET_LAMP: row.budget_lamp,
        COL_PROJECT_LAMP: row.project_lamp,
        COL_CONCLUSION: row.conclusion,
        COL_GAP: row.gap,
    }
    return values[column] if column in values else _display(row, column)


def _tooltip(row: Row, column: int) -> str | None:
    if column in (COL_DEPARTMENT, COL_NAME):
        return f"{row.department_name}（{row.section}）\n{row.project_code} {row.project_name}"
    if column == COL_BUDGET_LAMP:
        return row.budget_explanation
    if column == COL_PROJECT_LAMP:
        warned = (Lamp.RED, Lamp.YELLOW)
        flagged = [f"{i.name}：{i.explanation}" for i in row.indicators if i.lamp in warned]
        lines = [f"项目灯取最差的灯：{lamp_text(row.project_lamp)}", *flagged, *row.notices]
        missing = [p.message for p in row.missing_reasons if p.blocking]
        if missing:
            lines += ["尚未填写：", *missing]
        return "\n".join(lines)
    if column == COL_CONCLUSION and row.conclusion_note:
        return row.conclusion_note
    return None
