"""The 报告 page offers every report with the scope fields it needs; 打印绩效目标表 on the
绩效目标 page and in the goal editor switches to it with the table previewed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain.rules import RuleSet
from app.services.demo import build_demo
from app.services.reports import ReportKind
from app.services.spotcheck import ReviewEdit, draw_sample, save_review
from app.storage.database import Database
from app.ui.goals.editor import GoalEditorDialog
from app.ui.reports.page import ReportsPage
from app.ui.reports.scope import BY_DEPARTMENT, WHOLE_YEAR
from tests.gui.helpers import background_done

PROJECT = "101001003"  # in the demo at scale 0.05: goal, rounds, self-evaluation in 2025


@pytest.fixture
def demo_page(qtbot, db: Database, rules: RuleSet) -> Iterator[ReportsPage]:
    """The page on the demo county, with a 2024 sample drawn and its first project reviewed."""
    build_demo(db, year=2025, seed=1, scale=0.05)
    item = draw_sample(db, 2024, rules, seed=7).sections[0].items[0]
    save_review(db, item.sample_id, ReviewEdit(items=()), rules, opinion="无异议。")
    widget = ReportsPage(db)
    qtbot.addWidget(widget)
    widget.set_database(db, 2025)
    widget.show()
    qtbot.waitExposed(widget)
    widget.reviewed_code = item.project_code  # type: ignore[attr-defined]
    yield widget
    widget._forget()


def _shown(page: ReportsPage) -> set[str]:
    names = {
        "month": page.month_combo,
        "project": page.project_edit,
        "sample": page.sample_combo,
        "opinion": page.opinion_combo,
        "department": page.department_combo,
        "approved": page.approved_check,
        "templates": page.templates_button,
        "evaluation": page.evaluation_combo,
    }
    return {name for name, widget in names.items() if widget.isVisible()}


def test_every_report_kind_is_offered_once(demo_page: ReportsPage) -> None:
    combo = demo_page.kind_combo
    offered = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert sorted(offered) == sorted(ReportKind)
    assert combo.count() > len(offered)  # separators between the workflow steps


EXPECTED_FIELDS = {
    ReportKind.GOAL_TABLE: {"project"},
    ReportKind.DEPARTMENT_GOAL_TABLE: {"department"},
    ReportKind.GOAL_BOOK: {"department", "approved"},
    ReportKind.PREASSESSMENT: set(),
    ReportKind.MONITORING_TABLE: {"month", "project"},
    ReportKind.MONITORING: {"month"},
    ReportKind.SELFEVAL_TABLE: {"project"},
    ReportKind.WORKING_PAPER: {"sample"},
    ReportKind.REVIEW_OPINION: {"opinion", "sample"},
    ReportKind.REVIEW_SUMMARY: set(),
    ReportKind.RESULTS_LIST: {"department"},
    ReportKind.KEY_EVALUATION: {"evaluation"},
    ReportKind.RECTIFICATION: {"department"},
    ReportKind.ANNUAL: {"templates"},
}


@pytest.mark.parametrize("kind", list(ReportKind), ids=lambda k: k.value)
def test_each_kind_shows_the_scope_fields_it_needs(demo_page: ReportsPage, kind) -> None:
    demo_page.scope.choose(kind)
    assert _shown(demo_page) == EXPECTED_FIELDS[kind]


# Typing opens the completer's popup; the offscreen platform cannot raise it or grab keys.
@pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
def test_the_month_picker_lists_the_years_rounds(qtbot, demo_page: ReportsPage) -> None:
    demo_page.scope.choose(ReportKind.MONITORING_TABLE)
    combo = demo_page.month_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [3, 6, 9, 10, 11, 12]
    assert combo.itemText(1) == "6月（已关闭）"
    combo.setCurrentIndex(1)
    qtbot.keyClicks(demo_page.project_edit, PROJECT)
    qtbot.mouseClick(demo_page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, demo_page)
    assert demo_page.preview.page_count >= 1
    assert demo_page.request().month == 6
    assert demo_page.request().file_stem() == f"2025年6月项目支出绩效运行监控表_{PROJECT}"


def test_the_sample_picker_previews_a_working_paper(qtbot, demo_page: ReportsPage) -> None:
    demo_page.scope.choose(ReportKind.WORKING_PAPER)
    assert demo_page.sample_combo.count() == 0  # 2025: no sample drawn
    assert demo_page.sample_combo.placeholderText() == "本年度尚未抽取复核样本"
    demo_page.set_year(2024)
    combo, code = demo_page.sample_combo, demo_page.reviewed_code  # type: ignore[attr-defined]
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert combo.count() >= 6 and sum("（未复核）" not in t for t in labels) == 1
    combo.setCurrentIndex(combo.findData(code))
    qtbot.mouseClick(demo_page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, demo_page)
    assert demo_page.preview.page_count >= 2
    assert demo_page.status_label.text().startswith("绩效自评抽查复核工作底稿：共")


def test_the_review_opinion_by_department(qtbot, demo_page: ReportsPage) -> None:
    demo_page.set_year(2024)
    demo_page.scope.choose(ReportKind.REVIEW_OPINION)
    demo_page.opinion_combo.setCurrentText(BY_DEPARTMENT)
    assert _shown(demo_page) == {"opinion", "department"}
    assert demo_page.department_combo.findText(WHOLE_YEAR) < 0  # a unit is required here
    code = demo_page.reviewed_code[:6]  # type: ignore[attr-defined]
    demo_page.department_combo.setCurrentIndex(demo_page.department_combo.findData(code))
    request = demo_page.request()
    assert (request.project_code, request.department_code) == ("", code)
    qtbot.mouseClick(demo_page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, demo_page)
    assert demo_page.preview.page_count >= 1


def test_a_year_without_rounds_asks_for_a_month(qtbot, main_window, shown_messages) -> None:
    page = main_window.page_widgets["报告"]
    main_window.navigation.setCurrentRow(main_window.pages.indexOf(page))
    page.scope.choose(ReportKind.MONITORING)
    assert page.month_combo.count() == 0 and page.month_combo.isVisible()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    expected = "2025年尚未开启监控轮次：请先在“绩效监控”中开启一轮监控。"
    assert shown_messages.texts == [expected]
    assert page.preview.page_count == 0


@pytest.fixture
def reports_page(main_window) -> Iterator[ReportsPage]:  # type: ignore[no-untyped-def]
    page = main_window.page_widgets["报告"]
    yield page
    page._forget()  # close the previewed PDF


def _reports_page_is_current(qtbot, main_window) -> ReportsPage:  # type: ignore[no-untyped-def]
    page = main_window.pages.currentWidget()
    assert isinstance(page, ReportsPage)
    background_done(qtbot, page)  # the preview is built in the background
    assert main_window.navigation.currentItem().text() == "报告"
    return page


def test_print_goal_table_from_the_goals_page(qtbot, main_window, county, reports_page) -> None:
    goals = main_window.goals_page
    goals.table.selectRow(0)
    code = goals.current_row().code
    qtbot.mouseClick(goals.buttons["打印绩效目标表"], Qt.MouseButton.LeftButton)
    page = _reports_page_is_current(qtbot, main_window)
    assert page.kind is ReportKind.GOAL_TABLE and page.project_edit.text() == code
    assert page.preview.page_count == 1
    assert page.status_label.text() == "项目支出绩效目标表：共 1 页。"


def test_print_goal_table_needs_a_project(qtbot, main_window, shown_messages) -> None:
    goals = main_window.goals_page
    goals.table.clearSelection()
    goals.table.setCurrentIndex(goals.model.index(-1, 0))
    qtbot.mouseClick(goals.buttons["打印绩效目标表"], Qt.MouseButton.LeftButton)
    assert shown_messages.texts == ["请先在列表中选择一个项目"]
    assert main_window.pages.currentWidget() is goals


def _editor(main_window) -> GoalEditorDialog:  # type: ignore[no-untyped-def]
    editors = main_window.goals_page.editors
    assert len(editors) == 1
    return editors[0]


def test_print_goal_table_from_the_goal_editor(qtbot, main_window, county, reports_page) -> None:
    goals = main_window.goals_page
    goals.table.selectRow(0)
    code = goals.current_row().code
    editor = goals.open_current_goal()
    assert editor is _editor(main_window)
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)
    page = _reports_page_is_current(qtbot, main_window)
    assert page.project_edit.text() == code and page.preview.page_count == 1
    editor.close()


def test_print_the_department_goal_from_its_editor(
    qtbot, main_window, county, reports_page
) -> None:
    goals = main_window.goals_page
    goals.table.selectRow(0)
    department = goals.current_row().department_code
    editor = goals.open_department_goal()
    assert isinstance(editor, QWidget)
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)
    page = _reports_page_is_current(qtbot, main_window)
    assert page.kind is ReportKind.DEPARTMENT_GOAL_TABLE
    assert page.department_combo.currentData() == department
    assert page.preview.page_count == 1
    editor.close()
