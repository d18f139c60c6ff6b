"""The small Qt bar chart of counts: bars proportional to the counts, the largest full."""

from __future__ import annotations

import pytest

from app.ui.widgets.count_chart import CountChart


@pytest.fixture
def chart(qtbot):
    widget = CountChart()
    qtbot.addWidget(widget)
    widget.resize(300, 180)
    return widget


def test_bars_are_proportional_and_the_largest_fills_the_plot(chart):
    chart.set_counts(["优", "良", "中", "差"], [40, 20, 10, 0], "等级分布")
    rects = chart.bar_rects()
    area = chart.plot_area()
    assert [round(r.height() / area.height(), 3) for r in rects] == [1.0, 0.5, 0.25, 0.0]
    assert all(r.bottom() == area.bottom() for r in rects)
    assert rects[0].right() < rects[1].left()  # bars do not touch


def test_no_counts_shows_the_placeholder_and_paints(chart, qtbot):
    chart.set_counts(["优", "良"], [0, 0])
    assert not chart.has_chart()
    assert not chart.grab().isNull()  # paints the placeholder without error
    chart.set_counts(["优", "良"], [3, 1], "标题")
    assert chart.has_chart() and chart.values() == (3, 1)
    assert not chart.grab().isNull()


def test_every_bar_needs_a_label(chart):
    with pytest.raises(ValueError):
        chart.set_counts(["优"], [1, 2])
