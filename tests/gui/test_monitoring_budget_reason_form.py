"""The budget lamp's 偏差原因 on the entry form: shown, marked 必填, saved, needed to close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.enums import Lamp
from app.services.monitoring import list_rounds, round_rows
from app.ui.monitoring.budget_reason import BLANK_CATEGORY, CATEGORY, REASON
from app.ui.monitoring.indicator_table import REQUIRED_TEXT
from app.ui.monitoring.round_table import COL_CODE
from tests.gui.helpers import column_values, type_chinese
from tests.gui.monitoring_helpers import double_click_row, retype, show_page

CODE = "219002001"  # 县卫生健康局项目1: 14 of 20 万元 spent by June, green
EXPLAINED = "219001001"  # red in June, its reason entered by the fixture

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db


@pytest.fixture
def page(qtbot, june_db, rules):
    return show_page(qtbot, june_db, rules)


def open_project(page, code=CODE):
    table = page.list_view.table
    double_click_row(table, column_values(table, COL_CODE).index(code))
    dialog = page.entry_dialog
    assert dialog is not None and dialog.isVisible() and dialog.row.project_code == code
    return dialog


def problems(dialog) -> list[str]:
    return [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]


def choose_category(box, text: str) -> None:
    """Pick a category in the drop-down with the keyboard, as a user would."""
    combo = box.category_combo
    combo.setFocus()
    target = combo.findText(text)
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        QTest.keyClick(combo, key)


def stored(db, rules, code=CODE):
    return next(r for r in round_rows(db, 2025, 6, rules) if r.project_code == code)


def test_the_form_shows_a_stored_budget_reason(qtbot, page):
    box = open_project(page, EXPLAINED).budget_reason
    assert box.isVisible()
    assert box.category_combo.currentText() == "经费保障"
    assert box.reason_edit.text() == "上级资金下达较晚"
    assert box.action_edit.text() == "加快拨付"
    assert not box.is_required(CATEGORY) and not box.is_required(REASON)


def test_a_red_budget_lamp_marks_the_reason_required_and_saving_fills_it(
    qtbot, page, june_db, rules
):
    dialog = open_project(page)
    box = dialog.budget_reason
    assert dialog.budget_chip.lamp is Lamp.GREEN
    assert box.category_combo.itemText(0) == BLANK_CATEGORY and not box.is_required(REASON)

    retype(dialog.spent_edit, "5")  # 5 of 20 万元: 25 % ÷ 50 % = 50 %, red
    assert dialog.budget_chip.plain_text() == "红灯"
    # Said in words, not only by colour: the empty drop-down reads 必填, the line edit too.
    assert box.category_combo.currentText() == REQUIRED_TEXT
    assert box.reason_edit.placeholderText().startswith(REQUIRED_TEXT)
    assert "#fbd3d0" in box.reason_edit.styleSheet()
    assert any("预算执行为红灯，须选择偏差原因类别" in t for t in problems(dialog))
    assert any("预算执行为红灯，须填写偏差原因说明" in t for t in problems(dialog))

    choose_category(box, "制度保障")
    assert box.category_combo.currentText() == "制度保障"
    assert not box.is_required(CATEGORY) and box.is_required(REASON)
    type_chinese(box.reason_edit, "招标程序耗时较长")
    type_chinese(box.action_edit, "倒排工期")
    assert not box.is_required(REASON) and box.reason_edit.styleSheet() == ""
    assert not any("预算执行" in t for t in problems(dialog))
    assert dialog.state_label.text() == "有未保存的修改"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.state_label.text() == "已保存"
    row = stored(june_db, rules)
    assert (row.budget_lamp, row.budget_deviation_category) == (Lamp.RED, "制度保障")
    assert (row.budget_deviation_reason, row.budget_corrective_action) == (
        "招标程序耗时较长",
        "倒排工期",
    )
    assert row.missing_reasons == ()


def test_closing_leads_to_the_missing_budget_reason_then_closes(
    qtbot, page, june_db, rules, shown_messages
):
    dialog = open_project(page)
    retype(dialog.spent_edit, "5")  # red, no reason
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        page.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    missing = page.missing_dialog
    assert missing is not None and missing.isVisible()
    assert missing.codes() == [CODE]
    assert missing.list.item(0).text() == (
        f"项目 {CODE}（县卫生健康局项目1）：预算执行为红灯，须选择偏差原因类别、填写偏差原因说明"
    )
    assert [r.status for r in list_rounds(june_db, 2025)] == ["open"]

    # The item opens the project with the cursor in the budget reason's drop-down.
    where = missing.list.visualItemRect(missing.list.item(0)).center()
    qtbot.mouseClick(missing.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    dialog = page.entry_dialog
    assert dialog.isVisible() and dialog.row.project_code == CODE
    box = dialog.budget_reason
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.category_combo)

    choose_category(box, "经费保障")
    type_chinese(box.reason_edit, "上级资金下达较晚")
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert missing.codes() == [] and "已全部填写" in missing.summary.text()

    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        page.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    assert [r.status for r in list_rounds(june_db, 2025)] == ["closed"]
    assert shown_messages.texts[-1] == "2025年6月监控已关闭，数据转为只读。"


def test_a_closed_round_shows_the_budget_reason_read_only(qtbot, page, june_db, rules):
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        page.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    assert [r.status for r in list_rounds(june_db, 2025)] == ["closed"]
    box = open_project(page, EXPLAINED).budget_reason
    assert box.reason_edit.text() == "上级资金下达较晚"
    assert box.reason_edit.isReadOnly() and box.action_edit.isReadOnly()
    assert not box.category_combo.isEnabled()
