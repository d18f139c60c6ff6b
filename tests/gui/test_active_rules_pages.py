"""Importing a year's rule set in 设置 → 规则集 changes what that year's pages compute.

The province file: 执行率 20 + 产出 40, 优 from 85, budget lamps red below 75% of 序时进度.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.common.year_rules import import_rules_file, rules_text_for_year
from app.storage.database import open_database
from app.ui.evaluation.models import COL_CODE, COL_GRADE, COL_TOTAL
from app.ui.monitoring.round_table import COL_CODE as ROUND_COL_CODE
from app.ui.monitoring.round_table import COL_PROJECT_LAMP
from app.ui.settings import rules_tab
from app.ui.settings.rules_tab import RulesTab
from tests import factories
from tests.gui.evg_data import open_window, show_page
from tests.gui.helpers import column_values

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # june_db

SLOW, FAST = "219001001", "219001002"  # 30% of the budget spent / all of it


@pytest.fixture
def province(tmp_path):
    return factories.province_rules_file(tmp_path)


@pytest.fixture
def evaluated(db):
    """Two projects with goals in the province's layout (80 indicator points), every target
    met; one spent 30% of its budget, the other all of it."""
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        for code, share in ((SLOW, "0.3"), (FAST, "1")):
            spec = factories.ProjectSpec(code, indicators=factories.PROVINCE_INDICATORS)
            project = factories.project_with_goal(s, fy, dept, spec)
            factories.self_evaluation(s, project, spent=project.total_amount * Decimal(share))
    return db


def choose_in_settings(window, monkeypatch, path) -> RulesTab:
    """设置 → 规则集 → 导入规则集文件… (path), clicked."""
    settings = show_page(window, "设置")
    settings.show_tab("规则集")
    tab = settings.rules
    monkeypatch.setattr(rules_tab, "choose_rules_file", lambda _parent, _folder: path)
    QTest.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    return tab


def scored(qtbot, window) -> dict[str, tuple[str, str]]:
    page = show_page(window, "绩效自评")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    codes = column_values(page.table, COL_CODE)
    totals = column_values(page.table, COL_TOTAL)
    grades = column_values(page.table, COL_GRADE)
    return dict(zip(codes, zip(totals, grades, strict=True), strict=True))


def test_the_evaluation_page_grades_by_the_rules_imported_in_settings(
    qtbot, evaluated, province, monkeypatch, shown_messages
):
    window = open_window(qtbot, evaluated)
    assert scored(qtbot, window) == {SLOW: ("83.00", "良"), FAST: ("90.00", "优")}

    tab = choose_in_settings(window, monkeypatch, province)
    assert shown_messages.shown[-1][1].startswith("2025 年度现在使用“某省规则”。")
    assert tab.fields["名称"].text() == "某省规则"
    assert tab.fields["等级"].text().splitlines()[0] == "优：85 分及以上"
    assert tab.fields["评分权重"].text().startswith("预算执行率 20 分，产出指标 40 分")
    assert "2025 年度自己的规则集" in tab.fields["来源"].text()

    # 86 is 优 from 85: the page scored the year again when it was shown
    assert scored(qtbot, window) == {SLOW: ("86.00", "优"), FAST: ("100.00", "优")}


def test_monitoring_lamps_follow_the_years_rules(qtbot, june_db, province, monkeypatch):
    window = open_window(qtbot, june_db)

    def lamp_of_301001001() -> str | None:
        table = page.list_view.table
        codes = column_values(table, ROUND_COL_CODE)
        lamps = dict(zip(codes, column_values(table, COL_PROJECT_LAMP), strict=True))
        return lamps.get("301001001")

    page = show_page(window, "绩效监控")
    qtbot.waitUntil(lambda: lamp_of_301001001() == "黄灯")  # 70% of 序时进度
    choose_in_settings(window, monkeypatch, province)
    page = show_page(window, "绩效监控")
    qtbot.waitUntil(lambda: lamp_of_301001001() == "红灯")  # the province: red below 75%
    assert page.list_view.model.rowCount() == 4


def test_the_goals_page_hands_editors_the_years_rules(qtbot, evaluated, province):
    window = open_window(qtbot, evaluated)
    assert window.goals_page.rules().goals.execution_points == 10
    import_rules_file(evaluated, 2025, province)
    assert window.goals_page.rules().goals.execution_points == 20


def test_a_broken_file_is_refused_and_the_rules_stay(
    qtbot, evaluated, tmp_path, monkeypatch, shown_messages
):
    broken = tmp_path / "坏规则.toml"
    broken.write_text("[goals]\nexecution_points = 200\n", encoding="utf-8")
    window = open_window(qtbot, evaluated)
    tab = choose_in_settings(window, monkeypatch, broken)
    assert "规则集文件“坏规则.toml”有" in shown_messages.texts[-1]
    assert "2025 年度规则集未改变" in shown_messages.texts[-1]
    assert tab.fields["名称"].text() == "默认规则（全国通用）"
    assert not rules_text_for_year(evaluated, 2025).own


def test_a_read_only_database_cannot_change_its_rules(qtbot, evaluated):
    read_only = open_database(evaluated.target, read_only=True)
    try:
        tab = RulesTab(read_only)
        qtbot.addWidget(tab)
        tab.reload()
        assert not tab.edit_button.isEnabled() and not tab.import_button.isEnabled()
        assert tab.export_button.isEnabled()
    finally:
        read_only.close()
