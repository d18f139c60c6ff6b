"""The dashboard's Qt charts: chart data from the dashboard figures, then plain geometry."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from PySide6.QtCore import QRectF

from app.domain.enums import Lamp
from app.services.monitoring import Dashboard, LampCounts
from app.services.monitoring.dashboard import DepartmentProgress, RoundTrend, SectionLamps
from app.ui.monitoring.dashboard_charts import (
    ROW_HEIGHT,
    ProgressBarChart,
    RateLineChart,
    StackedLampChart,
    department_bars,
    lamp_stacks,
    line_layout,
    progress_height,
    progress_layout,
    rate_lines,
    stacked_layout,
)

PLOT = QRectF(10, 20, 300, 200)


def department(code: str, name: str, budget: int, spent: int) -> DepartmentProgress:
    rate = None if not budget else Decimal(spent) / Decimal(budget)
    return DepartmentProgress(
        "教科文股", code, name, 1, Decimal(budget), Decimal(spent), rate, Decimal(1) / 2
    )


def board() -> Dashboard:
    june = RoundTrend(6, "open", Decimal(1) / 2, Decimal(300), Decimal(120), Decimal("0.4"),
                      LampCounts(red=1, yellow=1, green=1, unlit=1))  # fmt: skip
    march = RoundTrend(3, "closed", Decimal(1) / 4, Decimal(300), Decimal(60), Decimal("0.2"),
                       LampCounts(green=3))  # fmt: skip
    return Dashboard(
        2025,
        6,
        (
            department("101", "县教育局", 100, 60),
            department("102", "县卫生健康局", 100, 10),
            department("103", "县无预算单位", 0, 0),
            department("104", "县农业农村局", 100, 50),
        ),
        (
            SectionLamps("教科文股", LampCounts(red=1, green=1)),
            SectionLamps("农业农村股", LampCounts(yellow=1, unlit=1)),
        ),
        (march, june),
    )


def test_departments_are_most_lagging_first_with_their_budget_lamps(rules):
    bars = department_bars(board(), rules)
    assert bars is not None
    assert bars.names == ("县卫生健康局", "县农业农村局", "县教育局", "县无预算单位")
    assert bars.rates == (10.0, 50.0, 60.0, None)
    assert bars.reference == 50.0
    assert bars.lamps[:2] == (Lamp.RED, Lamp.GREEN)
    assert bars.title == "2025年6月各单位预算执行率与序时进度"


def test_a_dashboard_without_rounds_has_no_department_chart(rules):
    assert department_bars(Dashboard(2025, None, (), (), ()), rules) is None


def test_lamp_stacks_add_the_unlit_series_only_when_some_are_unlit():
    lit = lamp_stacks("t", ["3月"], [LampCounts(red=2, blue=1)])
    assert lit.lamps == (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE)
    assert lit.counts == ((2, 0, 0, 1),)
    some_unlit = lamp_stacks("t", ["a", "b"], [LampCounts(green=1), LampCounts(unlit=2)])
    assert some_unlit.lamps[-1] is None and some_unlit.counts == ((0, 0, 1, 0, 0), (0, 0, 0, 0, 2))


def test_rate_lines_are_percentages_by_round():
    lines = rate_lines(board())
    assert lines.rounds == ("3月", "6月")
    assert [(name, values) for name, _, values in lines.series] == [
        ("执行率", (20.0, 40.0)),
        ("序时进度", (25.0, 50.0)),
    ]


def test_progress_bars_are_proportional_and_the_reference_sits_at_its_percentage():
    layout = progress_layout([25.0, 50.0, None, 100.0], 50.0, width=600, label_width=100)
    plot = layout.plot
    widths = [None if bar is None else round(bar.width() / plot.width(), 3) for bar in layout.bars]
    assert widths == [0.25, 0.5, None, 1.0]
    assert all(bar.left() == plot.left() for bar in layout.bars if bar is not None)
    assert layout.reference_x == pytest.approx(plot.left() + plot.width() / 2)
    tops = [bar.top() for bar in layout.bars if bar is not None]
    assert tops == sorted(tops)  # one row each, in the given order
    assert plot.left() > 100  # the names' column is left of the bars


def test_a_rate_above_100_percent_stretches_the_scale():
    layout = progress_layout([150.0, 75.0], 50.0, width=600, label_width=80)
    assert layout.scale == 150.0
    assert layout.bars[0].width() == pytest.approx(layout.plot.width())


def test_the_department_chart_grows_with_its_departments():
    assert progress_height(80) - progress_height(40) == 40 * ROW_HEIGHT


def test_stacked_segments_sum_to_the_count_and_the_tallest_fills_the_plot():
    counts = [(2, 1, 1, 0), (1, 0, 0, 1)]
    stacks = stacked_layout(counts, PLOT)
    unit = PLOT.height() / 4
    for stack, segments in zip(counts, stacks, strict=True):
        assert [round(s.height() / unit, 6) for s in segments] == list(stack)
        assert segments[0].bottom() == PLOT.bottom()
        for lower, upper in itertools.pairwise(segments):
            assert upper.bottom() == pytest.approx(lower.top())  # stacked, no gap
    assert stacks[0][-1].top() == pytest.approx(PLOT.top())
    assert stacks[0][0].right() < stacks[1][0].left()


def test_line_points_follow_the_values_and_leave_gaps():
    points = line_layout([[50.0, None, 100.0]], PLOT)[0]
    assert points[1] is None
    assert points[0].y() == pytest.approx(PLOT.bottom() - PLOT.height() / 2)
    assert points[2].y() == pytest.approx(PLOT.top())
    assert points[0].x() < points[2].x()


def test_empty_data_draws_nothing():
    assert stacked_layout([], PLOT) == []
    assert line_layout([], PLOT) == []
    assert progress_layout([], 50.0, 600, 80).bars == ()


def test_charts_without_data_show_their_placeholder_and_paint(qtbot, rules):
    charts = (ProgressBarChart("暂无"), StackedLampChart("暂无"), RateLineChart("暂无"))
    for chart in charts:
        qtbot.addWidget(chart)
        chart.resize(500, 300)
        assert not chart.has_chart()
        assert not chart.grab().isNull()  # the placeholder paints without error
    charts[1].set_data(lamp_stacks("t", ["a"], [LampCounts()]))
    assert not charts[1].has_chart()  # no project at all: the placeholder


def test_charts_with_data_paint_and_the_department_chart_grows(qtbot, rules):
    dashboard = board()
    bars, stacks, lines = ProgressBarChart(), StackedLampChart(), RateLineChart()
    bars.set_data(department_bars(dashboard, rules))
    stacks.set_data(lamp_stacks("t", ["教科文股"], [LampCounts(red=1, green=3)]))
    lines.set_data(rate_lines(dashboard))
    for chart in (bars, stacks, lines):
        qtbot.addWidget(chart)
        chart.resize(600, 300)
        assert chart.has_chart()
        assert not chart.grab().isNull()
    assert bars.minimumHeight() == progress_height(4)
