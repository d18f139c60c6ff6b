"""The monitoring dashboard's charts as PNG bytes: the same drawings for screens and reports.

Design decisions:
- One lamp palette (LAMP_COLOURS) for every place a lamp is drawn, on screen or paper;
  hatches and value labels keep the lamps apart when printed in greyscale.
- Departments are charted most-lagging first (smallest execution rate), so the ones a
  clerk must chase are at the top of a long chart.
- matplotlib is imported only when a chart is drawn (the window must start without it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import Lamp
from app.domain.lamps import budget_lamp
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.monitoring.dashboard import Dashboard, LampCounts, dashboard
from app.storage.database import Database

LAMP_COLOURS: dict[Lamp | None, str] = {
    Lamp.RED: "#d32f2f",
    Lamp.YELLOW: "#f6c344",
    Lamp.GREEN: "#388e3c",
    Lamp.BLUE: "#1e6fc8",
    None: "#9e9e9e",
}
LAMP_HATCHES: dict[Lamp | None, str] = {
    Lamp.RED: "",
    Lamp.YELLOW: "",
    Lamp.GREEN: "//",
    Lamp.BLUE: "..",
    None: "xx",
}
UNLIT_LABEL = "未亮灯"
_LAMPS: tuple[Lamp, ...] = (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE)


@dataclass(frozen=True)
class DashboardCharts:
    departments: bytes  # 执行率 by department against 序时进度 (latest round)
    sections: bytes  # project lamps by 股室 (latest round)
    trend_rates: bytes  # 执行率 and 序时进度 by round
    trend_lamps: bytes  # project lamps by round


def dashboard_with_charts(
    db: Database, year: int, rules: RuleSet, progress: Progress = NO_PROGRESS
) -> tuple[Dashboard, DashboardCharts | None]:
    """The year's dashboard and its charts (None when the year has no round yet)."""
    progress.step(0, 3, "正在计算各轮监控数据…")
    board = dashboard(db, year, rules)
    if board.latest_month is None:
        return board, None
    progress.step(1, 3, "正在绘制图表…")
    charts = dashboard_charts(board, rules)
    progress.step(3, 3, "完成")
    return board, charts


def dashboard_charts(board: Dashboard, rules: RuleSet) -> DashboardCharts:
    """Draw the four charts of a dashboard that has at least one round."""
    from app.reports.charts_extra import line_chart, progress_bar_chart, stacked_bar_chart

    month = board.latest_month
    assert month is not None, "a dashboard without rounds has no charts"
    departments = sorted(
        board.departments,
        key=lambda d: (d.execution_rate is None, d.execution_rate or 0, d.department_code),
    )
    time_progress = departments[0].time_progress if departments else Decimal(month) / 12
    # Each department's bar takes the colour of the budget lamp its summed money would get.
    lamps = [budget_lamp(d.execution_rate, month, rules.monitoring).lamp for d in departments]
    dept_chart = progress_bar_chart(
        [d.department_name for d in departments],
        [None if d.execution_rate is None else _percent(d.execution_rate) for d in departments],
        reference=(_percent(time_progress), f"序时进度 {_percent(time_progress):.2f}%"),
        colours=[LAMP_COLOURS[lamp] for lamp in lamps],
        legend={f"执行率（{lamp.label}）": LAMP_COLOURS[lamp] for lamp in _LAMPS if lamp in lamps},
        title=f"{board.year}年{month}月各单位预算执行率与序时进度",
    )
    series, colours, hatches = _lamp_series([s.lamps for s in board.sections])
    section_chart = stacked_bar_chart(
        [s.section for s in board.sections],
        series,
        title=f"{board.year}年{month}月各股室项目预警灯",
        value_label="项目数",
        colours=colours,
        hatches=hatches,
    )
    rounds = [f"{t.month}月" for t in board.trend]
    rate_chart = line_chart(
        rounds,
        {
            "执行率": [
                None if t.execution_rate is None else _percent(t.execution_rate)
                for t in board.trend
            ],
            "序时进度": [_percent(t.time_progress) for t in board.trend],
        },
        title=f"{board.year}年各轮预算执行率与序时进度",
        percent=True,
        colours=("#2f5d8a", "#7f7f7f"),
    )
    series, colours, hatches = _lamp_series([t.lamps for t in board.trend])
    lamp_chart = stacked_bar_chart(
        rounds,
        series,
        title=f"{board.year}年各轮项目预警灯",
        value_label="项目数",
        colours=colours,
        hatches=hatches,
    )
    return DashboardCharts(dept_chart, section_chart, rate_chart, lamp_chart)


def _percent(ratio: Decimal | None) -> float:
    """A fraction as a percentage for drawing (charts are pictures: float is fine here)."""
    return 0.0 if ratio is None else float(round(ratio * 100, 2))


def _lamp_series(
    counts: list[LampCounts],
) -> tuple[dict[str, list[int]], list[str], list[str]]:
    """Series per lamp (红灯…蓝灯, 未亮灯 only if any), with matching colours and hatches."""
    lamps: list[Lamp | None] = list(_LAMPS)
    if any(c.unlit for c in counts):
        lamps.append(None)
    series = {
        (lamp.label if lamp else UNLIT_LABEL): [
            getattr(c, lamp.value if lamp else "unlit") for c in counts
        ]
        for lamp in lamps
    }
    return series, [LAMP_COLOURS[lamp] for lamp in lamps], [LAMP_HATCHES[lamp] for lamp in lamps]
