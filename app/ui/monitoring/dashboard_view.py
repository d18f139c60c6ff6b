"""The dashboard tab: a few summary numbers and the year's monitoring charts.

The charts are painted by Qt (dashboard_charts): the GUI process never imports matplotlib.
The department chart is as tall as its departments need; the whole tab scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_percent
from app.domain.rules import RuleSet
from app.services.monitoring import Dashboard, RoundTrend
from app.ui.monitoring.dashboard_charts import (
    ProgressBarChart,
    RateLineChart,
    StackedLampChart,
    department_bars,
    lamp_stacks,
    rate_lines,
)
from app.ui.widgets.formatting import wan_text
from app.ui.widgets.lamp import LAMPS, LampChip

STATUS_TEXT = {"open": "进行中", "closed": "已关闭"}


class DashboardView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.figures = QLabel()
        self.chips = {lamp: LampChip(lamp) for lamp in LAMPS}
        self.unlit_chip = LampChip(None)
        self.trend_rates = RateLineChart("暂无监控轮次")
        self.trend_lamps = StackedLampChart("暂无监控轮次")
        self.sections = StackedLampChart("暂无监控轮次")
        self.departments = ProgressBarChart("暂无监控轮次")
        self.charts: tuple[RateLineChart | StackedLampChart | ProgressBarChart, ...] = (
            self.trend_rates,
            self.trend_lamps,
            self.sections,
            self.departments,
        )
        self._build()

    def _build(self) -> None:
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chips = QHBoxLayout()
        chips.addWidget(QLabel("项目灯："))
        for chip in (*self.chips.values(), self.unlit_chip):
            chips.addWidget(chip)
        chips.addStretch(1)
        grid = QGridLayout()
        grid.addWidget(self.trend_rates, 0, 0)
        grid.addWidget(self.trend_lamps, 0, 1)
        grid.addWidget(self.sections, 1, 0)
        grid.addWidget(_note(), 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.departments, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.heading)
        inner_layout.addWidget(self.figures)
        inner_layout.addLayout(chips)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def clear(self) -> None:
        """No year, or a year without rounds."""
        self.heading.setText("绩效监控仪表盘")
        self.figures.setText("本年度还没有监控轮次。开启一轮监控后，这里显示执行进度和预警灯。")
        for lamp, chip in self.chips.items():
            chip.set_lamp(lamp, 0)
        self.unlit_chip.set_lamp(None, 0)
        self.unlit_chip.setVisible(False)
        for chart in self.charts:
            chart.set_data(None)

    def set_data(self, board: Dashboard, rules: RuleSet) -> None:
        """Show a year's dashboard, its lamps lit with `rules`."""
        if not board.trend:
            self.clear()
            return
        latest = board.trend[-1]
        status = STATUS_TEXT.get(latest.status, latest.status)
        latest_text = f"最新一轮：{latest.month}月，{status}"
        self.heading.setText(f"{board.year}年 绩效监控仪表盘（{latest_text}）")
        self.figures.setText(_figures(latest, len(board.trend)))
        for lamp, chip in self.chips.items():
            chip.set_lamp(lamp, getattr(latest.lamps, lamp.value))
        self.unlit_chip.set_lamp(None, latest.lamps.unlit)
        self.unlit_chip.setVisible(bool(latest.lamps.unlit))
        self.trend_rates.set_data(rate_lines(board))
        self.trend_lamps.set_data(
            lamp_stacks(
                f"{board.year}年各轮项目预警灯",
                [f"{t.month}月" for t in board.trend],
                [t.lamps for t in board.trend],
            )
        )
        self.sections.set_data(
            lamp_stacks(
                f"{board.year}年{latest.month}月各股室项目预警灯",
                [s.section for s in board.sections],
                [s.lamps for s in board.sections],
            )
        )
        self.departments.set_data(department_bars(board, rules))


def _figures(latest: RoundTrend, rounds: int) -> str:
    gap = (
        ""
        if latest.execution_rate is None
        else f"，落后序时进度 {(latest.time_progress - latest.execution_rate) * 100:.2f} 个百分点"
        if latest.execution_rate < latest.time_progress
        else "，达到序时进度"
    )
    return (
        f"本年度已开展 {rounds} 轮监控。最新一轮项目 {latest.lamps.total} 个，"
        f"调整后预算合计 {wan_text(latest.budget)} 万元，"
        f"执行 {wan_text(latest.spent)} 万元，"
        f"执行率 {format_percent(latest.execution_rate) or '—'}"
        f"（序时进度 {format_percent(latest.time_progress)}{gap}）。"
    )


def _note() -> QLabel:
    label = QLabel(
        "读图说明：\n"
        "· 预算灯按“执行率 ÷ 序时进度”亮灯（规则集可改为落后百分点）；\n"
        "· 项目灯取预算灯和各指标灯中最差的一个；\n"
        "· 红灯、黄灯须填写偏差原因后才能关闭本轮；\n"
        "· 蓝灯表示指标进度远超序时，需关注目标是否偏低；\n"
        "· 下方各单位执行率按从低到高排列，条形颜色即该单位汇总后的预算灯。"
    )
    label.setWordWrap(True)
    label.setStyleSheet("color: #444444; padding: 12px;")
    return label
