"""The dashboard tab: summary numbers and the charts Qt paints."""

from __future__ import annotations

import importlib
import threading

from PySide6.QtCore import Qt

import app.ui.monitoring.page as monitoring_page
from app.domain.enums import Lamp
from app.domain.progress import Cancelled
from app.services.monitoring import close_round, open_round
from app.ui.monitoring.page import DASHBOARD_TAB
from tests.gui.monitoring_helpers import (
    show_page,
)

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db
# The module, not the function app.services.monitoring exports under the same name.
dashboard_service = importlib.import_module("app.services.monitoring.dashboard")


def show_dashboard(qtbot, page):
    tab_bar = page.tabs.tabBar()
    center = tab_bar.tabRect(DASHBOARD_TAB).center()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=center)
    assert page.tabs.currentIndex() == DASHBOARD_TAB
    # The figures are read in the background.
    qtbot.waitUntil(page.dashboard_view.trend_rates.has_chart, timeout=30_000)
    return page.dashboard_view


def test_dashboard_shows_charts_and_summary_numbers(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    view = show_dashboard(qtbot, page)
    assert all(chart.has_chart() for chart in view.charts)
    departments = view.departments.data()
    assert departments is not None and departments.reference == 50.0
    assert departments.rates == (20.0, 35.0, 50.0, 70.0)  # most-lagging first
    assert departments.lamps == (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.GREEN)
    sections = view.sections.data()
    assert sections is not None and set(sections.categories) == {"教科文股", "农业农村股"}
    assert sum(map(sum, sections.counts)) == 4
    assert not view.grab().isNull()
    assert view.heading.text() == "2025年 绩效监控仪表盘（最新一轮：6月，进行中）"
    assert "最新一轮项目 4 个，调整后预算合计 60.00 万元，执行 29.50 万元，执行率 49.17%" in (
        view.figures.text()
    )
    assert "落后序时进度 0.83 个百分点" in view.figures.text()
    counts = {lamp: chip.count for lamp, chip in view.chips.items()}
    assert counts == {Lamp.RED: 1, Lamp.YELLOW: 1, Lamp.GREEN: 2, Lamp.BLUE: 0}
    assert view.isVisible()


def test_dashboard_follows_new_rounds(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    show_dashboard(qtbot, page)
    close_round(june_db, 2025, 6, rules)
    open_round(june_db, 2025, 9, rules)
    page.set_database(june_db, 2025)  # e.g. after another window changed the data
    qtbot.waitUntil(lambda: "最新一轮：9月" in page.dashboard_view.heading.text())


def test_a_year_without_rounds_says_so(qtbot, county_db, rules):
    page = show_page(qtbot, county_db, rules)
    page.tabs.setCurrentIndex(DASHBOARD_TAB)
    qtbot.waitUntil(lambda: "还没有监控轮次" in page.dashboard_view.figures.text())
    assert not any(chart.has_chart() for chart in page.dashboard_view.charts)


def test_cancel_stops_the_dashboard_at_the_next_round(qtbot, june_db, rules, monkeypatch):
    close_round(june_db, 2025, 6, rules)
    open_round(june_db, 2025, 9, rules)
    gate, lit, outcome = threading.Event(), [], []
    project_lamps, dashboard = dashboard_service._project_lamps, monitoring_page.dashboard

    def held(conn, round_id, decided):  # worker thread: the first round waits
        lit.append(decided.month)
        assert gate.wait(30), "the test never opened the gate"
        yield from project_lamps(conn, round_id, decided)

    def watched(*args, **kwargs):
        try:
            board = dashboard(*args, **kwargs)
        except Cancelled:
            outcome.append("cancelled")
            raise
        outcome.append("finished")
        return board

    monkeypatch.setattr(dashboard_service, "_project_lamps", held)
    monkeypatch.setattr(monitoring_page, "dashboard", watched)
    try:
        page = show_page(qtbot, june_db, rules)
        page.tabs.setCurrentIndex(DASHBOARD_TAB)
        qtbot.waitUntil(lambda: lit == [6])
        # The step's text crosses to the GUI thread on its own: wait for it, do not race it.
        qtbot.waitUntil(lambda: "6 月" in page.load_bar.label.text())
        assert page.load_bar.isVisible()
        qtbot.mouseClick(page.load_bar.cancel_button, Qt.MouseButton.LeftButton)
        assert not page.load_bar.isVisible() and not page.loader.busy
        gate.set()
        qtbot.waitUntil(lambda: outcome == ["cancelled"])
        assert lit == [6]  # September's lamps were never lit
        qtbot.wait(50)  # the cancelled load's end arrives: nothing is shown
        assert not any(chart.has_chart() for chart in page.dashboard_view.charts)
        page.tabs.setCurrentIndex(0)
        page.tabs.setCurrentIndex(DASHBOARD_TAB)  # shown again, it reads again, to the end
        qtbot.waitUntil(lambda: outcome == ["cancelled", "finished"], timeout=30_000)
        assert lit == [6, 6, 9]
        qtbot.waitUntil(lambda: "最新一轮：9月" in page.dashboard_view.heading.text())
    finally:
        gate.set()  # a failed check must not leave the worker waiting
