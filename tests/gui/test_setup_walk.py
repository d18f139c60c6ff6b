"""A county set up in the app from an empty file to its first approved goal, no CLI step:
the set-up wizard, the goal editor (部门整体目标), submit, approve, and a report whose title
carries the county name entered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from app.domain.enums import GoalStatus
from app.services.common.year_rules import rules_for_year
from app.services.goals import load_goal
from app.services.reports import ReportKind, ReportRequest, build_report
from app.ui import first_open, preferences
from app.ui.goals.editor import GoalEditorDialog
from app.ui.main_window import MainWindow
from app.ui.setup import operator_prompt
from app.ui.setup.wizard import SetupWizard
from app.ui.widgets.department_tree import department_key
from tests.gui.goal_editor_helpers import (
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    type_chinese_text,
    type_into,
)

UNITS = (
    "单位编码\t单位名称\t股室\t主管部门编码\n"
    "219001\t县教育局\t教科文股\t\n"
    "219002\t县第一中学\t教科文股\t219001\n"
)
INDICATORS = (
    "产出指标\t数量指标\t在校学生人数\t≥\t3000\t人\t50\t\r\n"
    "效益指标\t社会效益指标\t义务教育巩固率\t≥\t98%\t\t30\t\r\n"
    "满意度指标\t服务对象满意度指标\t家长满意度\t≥\t90%\t\t10\t\r\n"
)


def _next(wizard: QWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def fill_wizard(qtbot, wizard: SetupWizard, county: str) -> None:
    qtbot.waitExposed(wizard)
    type_chinese_text(wizard.names.county_edit, county)
    wizard.names.year_spin.setValue(2026)
    _next(wizard)
    assert wizard.currentPage() is wizard.sections
    type_chinese_text(wizard.sections.sections_edit, "预算股\n教科文股")
    _next(wizard)
    assert wizard.currentPage() is wizard.units
    QGuiApplication.clipboard().setText(UNITS)
    wizard.units.grid.paste_button.click()
    assert wizard.units.grid.table.rowCount() == 2
    _next(wizard)
    assert wizard.currentPage() is wizard.confirm
    assert f"县（区）：{county}" in wizard.confirm.summary.text()
    assert "预算单位：2 个" in wizard.confirm.summary.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_an_empty_file_is_set_up_and_its_first_goal_approved(qtbot, tmp_path, monkeypatch, rules):
    monkeypatch.setattr(operator_prompt, "_ask", lambda *_args: "李审核")
    window = first_open.start(tmp_path / "青山县.sqlite3")
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)  # the operator is asked once it has painted
    assert window.setup_banner.isVisible() and "还没有设置" in window.setup_banner.text_label.text()
    assert preferences.remembered_operator() == "李审核"

    window.setup_banner.setup_button.click()
    fill_wizard(qtbot, window.file_menu.wizard, "青山县")
    assert "青山县" in window.windowTitle() and not window.setup_banner.isVisible()
    assert window.year == 2026

    goals = window.goals_page
    window.navigation.setCurrentRow(0)
    unit = next(u for u in _units(window) if u.code == "219002")
    assert goals.tree.select_key(department_key(unit.id))
    goals.buttons["部门整体目标"].click()
    (editor,) = goals.editors
    assert isinstance(editor, GoalEditorDialog)
    qtbot.waitExposed(editor)
    type_into(editor.header.budget_edit, "500")
    type_chinese_text(editor.header.overall_edit, "保障县第一中学正常运转，提高教学质量。")
    QGuiApplication.clipboard().setText(INDICATORS)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.grid.setFocus()
    QTest.keyClick(editor.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.grid_model.rowCount() == 3
    editor.run_checks()
    editor.save_button.click()
    editor.submit_button.click()
    assert editor.detail.status is GoalStatus.SUBMITTED, editor.problems_panel.model.items()
    editor.approve_button.click()
    goal = load_goal(window.database, editor.detail.id)
    assert goal.status is GoalStatus.APPROVED
    assert [h.actor for h in goal.history] == ["李审核", "李审核"]

    request = ReportRequest(ReportKind.DEPARTMENT_GOAL_TABLE, 2026, department_code="219002")
    table = build_report(window.database, request, rules_for_year(window.database, None))
    annual = build_report(window.database, ReportRequest(ReportKind.ANNUAL, 2026), rules)
    assert annual.title.startswith("关于青山县")
    assert "县第一中学" in table.title or "县第一中学" in str(table.blocks[:3])
    editor.close()
    window.close()


def _units(window: MainWindow):  # type: ignore[no-untyped-def]
    from app.services.setup.units import list_units

    return list_units(window.database)
