"""The 部门整体 tab: every department-wide goal of the round with its money and lamps.

Enter or a double-click opens the department's entry form (app.ui.monitoring.department_dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from app.domain.enums import Lamp
from app.services.monitoring import LampCounts
from app.services.monitoring.department import DepartmentMonitoringRow
from app.ui.widgets.formatting import percent_text, wan_text
from app.ui.widgets.lamp import SEVERITY, lamp_icon, lamp_text, lamp_tint
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel, setup_table

Row = DepartmentMonitoringRow


def _lamp_tooltip(row: Row) -> str:
    warned = (Lamp.RED, Lamp.YELLOW)
    flagged = [f"{i.name}：{i.explanation}" for i in row.indicators if i.lamp in warned]
    lines = [f"部门整体灯取最差的灯：{lamp_text(row.department_lamp)}", *flagged]
    missing = [p.message for p in row.missing_reasons if p.blocking]
    return "\n".join(lines + (["尚未填写：", *missing] if missing else []))


def _money(header: str, amount: Callable[[Row], Decimal]) -> Column[Row]:
    return Column(header, lambda r: wan_text(amount(r)), amount, align=RIGHT, sample="123,456.78")


COLUMNS: tuple[Column[Row], ...] = (
    Column("单位", lambda r: r.department_name, key=lambda r: r.department_code,
           sample="县人力资源和社会保障局"),
    Column("股室", lambda r: r.section, sample="农业农村股"),
    _money("基本支出\n调整后预算 万元", lambda r: r.basic_adjusted),
    _money("基本支出\n执行数 万元", lambda r: r.basic_spent),
    _money("项目支出\n调整后预算 万元", lambda r: r.project_adjusted),
    _money("项目支出\n执行数 万元", lambda r: r.project_spent),
    Column("合计执行率", lambda r: percent_text(r.execution_rate) or "—",
           lambda r: r.execution_rate,
           key=lambda r: (r.execution_rate is not None, r.execution_rate or 0), align=RIGHT),
    Column("序时进度", lambda r: percent_text(r.time_progress), lambda r: r.time_progress,
           align=RIGHT),
    Column("预算灯", lambda r: lamp_text(r.budget_lamp), lambda r: r.budget_lamp,
           key=lambda r: SEVERITY[r.budget_lamp], tooltip=lambda r: r.budget_explanation,
           decoration=lambda r: lamp_icon(r.budget_lamp),
           background=lambda r: lamp_tint(r.budget_lamp)),
    Column("部门整体灯", lambda r: lamp_text(r.department_lamp), lambda r: r.department_lamp,
           key=lambda r: SEVERITY[r.department_lamp], tooltip=_lamp_tooltip,
           decoration=lambda r: lamp_icon(r.department_lamp),
           background=lambda r: lamp_tint(r.department_lamp)),
    Column("处理意见", lambda r: r.conclusion or "未填写", lambda r: r.conclusion,
           tooltip=lambda r: r.conclusion_note),
)  # fmt: skip


class DepartmentListView(QWidget):
    department_activated = Signal(object)  # DepartmentMonitoringRow (Enter or double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[Row] = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.count_label = QLabel()
        setup_table(self.table, self.model, stretch=0)
        self.table.activated.connect(self._on_table_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[Row]) -> None:
        self.model.set_rows(rows)
        counts = LampCounts.of(r.department_lamp for r in rows)
        self.count_label.setText(
            f"共 {len(rows)} 个部门整体：红灯 {counts.red}，黄灯 {counts.yellow}，"
            f"绿灯 {counts.green}，蓝灯 {counts.blue}，未亮灯 {counts.unlit}"
        )

    def replace_row(self, row: Row) -> None:
        old = next((r for r in self.model.all_rows() if r.entry_id == row.entry_id), None)
        if old is not None:
            self.model.swap_row(old, row)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.department_activated.emit(self.model.row_at(index.row()))
