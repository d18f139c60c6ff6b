"""绩效监控 page, 部门整体 tab: the list, the department form, its lamps, and its close paths."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.domain.enums import Lamp
from app.services.monitoring import open_round
from app.services.monitoring.department import department_round_rows
from app.storage.models import Department
from app.ui.monitoring.page import DEPARTMENT_TAB
from tests import factories
from tests.gui.helpers import Answers, type_chinese
from tests.gui.monitoring_helpers import double_click_row, show_page

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db


@pytest.fixture
def october_db(county_db, rules):
    """small_county with 部门整体 goals for 219001 (500 万) and 301002 (10 万), October open."""
    with county_db.transaction() as s:
        fy = factories.year(s, 2025)
        depts = {d.code: d for d in s.scalars(select(Department))}
        factories.department_goal(s, fy, depts["219001"], Decimal(5_000_000))
        factories.department_goal(s, fy, depts["301002"], Decimal(100_000))
    open_round(county_db, 2025, 10, rules)
    return county_db


QUESTION = "部门整体监控数据有未保存的修改，关闭前保存吗？"


@pytest.fixture
def asked(monkeypatch) -> Answers:
    """The questions asked, answered by label as queued (不保存 when nothing is)."""
    return Answers(default="不保存").install(monkeypatch)


def open_form(qtbot, page):
    qtbot.mouseClick(page.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=page.tabs.tabBar().tabRect(DEPARTMENT_TAB).center())  # fmt: skip
    assert page.tabs.currentIndex() == DEPARTMENT_TAB
    double_click_row(page.department_view.table, 0)
    dialog = page.department_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def type_money(qtbot, edit, text: str) -> None:
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_the_tab_lists_each_department_with_its_lamps(qtbot, october_db, rules):
    page = show_page(qtbot, october_db, rules)
    model = page.department_view.model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["县教育局", "县水利局"]
    assert page.tabs.tabText(DEPARTMENT_TAB) == "部门整体"
    assert "共 2 个部门整体：红灯 2" in page.department_view.count_label.text()


def test_entering_both_parts_relights_and_saves(qtbot, october_db, rules, shown_messages):
    page = show_page(qtbot, october_db, rules)
    dialog = open_form(qtbot, page)
    basic_budget, basic_spent = dialog.money_edits["基本支出"]
    project_budget, project_spent = dialog.money_edits["项目支出"]
    assert basic_budget.text() == "490" and project_budget.text() == "10"  # 万元
    type_money(qtbot, basic_budget, "200")
    type_money(qtbot, basic_spent, "180")
    type_money(qtbot, project_budget, "300")
    type_money(qtbot, project_spent, "90")
    # 270 of 500 万元 = 54% at 序时进度 83.33%: yellow, and its reason is now required.
    assert dialog.rate_label.text() == "合计执行率：54.00%"
    assert dialog.budget_chip.lamp is Lamp.YELLOW
    assert dialog.state_label.text() == "有未保存的修改"
    assert any("预算执行为黄灯" in dialog.problem_list.item(i).text()
               for i in range(dialog.problem_list.count()))  # fmt: skip
    dialog.budget_reason.category_combo.setCurrentText("经费保障")
    type_chinese(dialog.budget_reason.reason_edit, "上级专项资金10月底才下达")
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = department_round_rows(october_db, 2025, 10, rules)[0]
    assert (saved.basic_adjusted, saved.basic_spent) == (Decimal(2_000_000), Decimal(1_800_000))
    assert saved.budget_lamp is Lamp.YELLOW and saved.missing_reasons == ()
    shown = page.department_view.model.index(0, 9).data()
    assert shown == "黄灯"


def test_close_without_changes_asks_nothing(qtbot, october_db, rules, asked):
    page = show_page(qtbot, october_db, rules)
    dialog = open_form(qtbot, page)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and asked.asked == []
    dialog = open_form(qtbot, page)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and asked.asked == []
    dialog = open_form(qtbot, page)
    dialog.close()  # the window's X
    assert not dialog.isVisible() and asked.asked == []


@pytest.mark.parametrize("how", ["关闭", "Esc", "X"])
def test_unsaved_work_is_asked_about_on_every_close_path(qtbot, october_db, rules, asked, how):
    page = show_page(qtbot, october_db, rules)
    dialog = open_form(qtbot, page)
    type_money(qtbot, dialog.money_edits["基本支出"][1], "100")

    def close() -> None:
        if how == "关闭":
            qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        elif how == "Esc":
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.close()  # what the window's X sends

    asked.press("取消")
    close()
    assert dialog.isVisible() and dialog.money_edits["基本支出"][1].text() == "100"
    assert [(q, sorted(labels)) for q, labels in asked.asked] == [
        (QUESTION, sorted(["保存", "不保存", "取消"]))
    ]
    asked.press("保存")
    type_money(qtbot, dialog.money_edits["基本支出"][0], "abc")  # saving fails: stays open
    close()
    assert dialog.isVisible()
    type_money(qtbot, dialog.money_edits["基本支出"][0], "490")
    asked.press("保存")
    close()  # 保存 works this time
    assert not dialog.isVisible()
    assert department_round_rows(october_db, 2025, 10, rules)[0].basic_spent == Decimal(1_000_000)

    dialog = open_form(qtbot, page)
    type_money(qtbot, dialog.money_edits["基本支出"][1], "200")
    asked.press("不保存")
    close()
    assert not dialog.isVisible()
    assert department_round_rows(october_db, 2025, 10, rules)[0].basic_spent == Decimal(1_000_000)


def test_closing_leads_to_the_departments_missing_reason(qtbot, october_db, rules, shown_messages):
    from PySide6.QtWidgets import QMessageBox

    from app.services.monitoring import list_rounds
    from app.services.monitoring.department_entries import (
        DepartmentEdit,
        update_department_entry,
    )

    with october_db.transaction() as s:
        factories.explain_budget_lamps(s)  # every lamp explained ...
    edu = department_round_rows(october_db, 2025, 10, rules)[0]
    lagging = DepartmentEdit(*(Decimal(v) for v in (2_000_000, 1_800_000, 3_000_000, 900_000)))
    update_department_entry(october_db, edu.entry_id, lagging, rules)  # ... but 219001's
    page = show_page(qtbot, october_db, rules)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        page.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    missing = page.missing_dialog
    assert missing is not None and missing.codes() == ["219001"]
    assert missing.list.item(0).text().startswith("部门整体 219001（县教育局）：预算执行为黄灯")
    where = missing.list.visualItemRect(missing.list.item(0)).center()
    qtbot.mouseClick(missing.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    dialog = page.department_dialog
    assert dialog is not None and dialog.isVisible()
    assert page.tabs.currentIndex() == DEPARTMENT_TAB
    dialog.budget_reason.category_combo.setCurrentText("经费保障")
    type_chinese(dialog.budget_reason.reason_edit, "上级专项资金10月底才下达")
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert missing.codes() == [] and "已全部填写" in missing.summary.text()
    page.close_current_round()
    assert [r.status for r in list_rounds(october_db, 2025)] == ["closed"]
