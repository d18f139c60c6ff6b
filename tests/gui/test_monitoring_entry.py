"""Entering a project's figures, hitting a mandatory reason, closing the round."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.enums import Lamp
from app.services.monitoring import list_rounds, round_rows
from app.ui.monitoring.indicator_table import (
    COL_CATEGORY,
    COL_CURRENT,
    COL_EXPECTED,
    COL_LAMP,
    COL_LIKELIHOOD,
    COL_NAME,
    COL_REASON,
    REQUIRED_TEXT,
)
from app.ui.monitoring.round_table import COL_CODE, COL_PROJECT_LAMP
from tests.gui.helpers import column_values
from tests.gui.monitoring_helpers import (
    choose_in_cell,
    click_cell,
    double_click_row,
    open_editor,
    retype,
    show_page,
    type_in_cell,
)

CODE = "219002001"  # green in June (140% of 序时进度) until an indicator lags

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db


def open_project(qtbot, page, code=CODE):
    table = page.list_view.table
    row = column_values(table, COL_CODE).index(code)
    double_click_row(table, row)
    dialog = page.entry_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.row.project_code == code
    return dialog


def row_of(dialog, name: str) -> int:
    return column_values(dialog.table, COL_NAME).index(name)


def cell(dialog, name: str, column: int):
    return dialog.model.index(row_of(dialog, name), column)


def click_confirm(qtbot, page):
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot, june_db, rules):
    return show_page(qtbot, june_db, rules)


def test_typing_figures_lights_the_lamps_live(qtbot, page):
    dialog = open_project(qtbot, page)
    assert dialog.project_chip.lamp is Lamp.GREEN
    retype(dialog.spent_edit, "6")  # 6 of 20 万元: 30% ÷ 50% = 60%, the yellow edge
    assert dialog.budget_chip.plain_text() == "黄灯"
    assert dialog.rate_label.text() == "执行率：30.00%"
    students = cell(dialog, "补助学生人数", COL_CURRENT)  # ≥1200 人: 600 due by June
    type_in_cell(dialog.table, students, "300")
    lamp = cell(dialog, "补助学生人数", COL_LAMP)
    assert lamp.data() == "红灯"
    assert "50.00%" in lamp.data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.project_chip.lamp is Lamp.RED
    # A red lamp makes 偏差原因 required: said in words, not only by colour.
    assert cell(dialog, "补助学生人数", COL_CATEGORY).data() == REQUIRED_TEXT
    assert cell(dialog, "补助学生人数", COL_REASON).data() == REQUIRED_TEXT
    assert any(
        "补助学生人数" in dialog.problem_list.item(i).text()
        for i in range(dialog.problem_list.count())
    )
    type_in_cell(dialog.table, students, "600")
    assert cell(dialog, "补助学生人数", COL_LAMP).data() == "绿灯"
    assert cell(dialog, "补助学生人数", COL_CATEGORY).data() == ""


def test_a_number_that_does_not_parse_is_kept_marked_and_not_saved(
    qtbot, page, june_db, rules, shown_messages
):
    dialog = open_project(qtbot, page)
    students = cell(dialog, "补助学生人数", COL_CURRENT)
    type_in_cell(dialog.table, students, "3OO")
    assert students.data() == "3OO"
    assert students.data(Qt.ItemDataRole.BackgroundRole) is not None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "当前完成值“3OO”不是数字" in shown_messages.texts[-1]
    stored = next(r for r in round_rows(june_db, 2025, 6, rules) if r.project_code == CODE)
    assert stored.indicators[0].current_value is None


def test_saving_updates_the_list_row(qtbot, page, june_db, rules):
    dialog = open_project(qtbot, page)
    retype(dialog.budget_edit, "25")
    retype(dialog.spent_edit, "5")  # 20% ÷ 50%: red
    type_in_cell(dialog.table, cell(dialog, "补助学生人数", COL_CURRENT), "700")
    choose_in_cell(dialog.table, cell(dialog, "补助学生人数", COL_LIKELIHOOD), "确定能")
    type_in_cell(dialog.table, cell(dialog, "补助学生人数", COL_EXPECTED), "1,250")
    dialog.conclusion_combo.setCurrentIndex(dialog.conclusion_combo.findText("整改"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.state_label.text() == "已保存"
    stored = next(r for r in round_rows(june_db, 2025, 6, rules) if r.project_code == CODE)
    assert (stored.adjusted_budget, stored.spent) == (Decimal(250000), Decimal(50000))
    students = stored.indicators[0]
    assert (students.current_value, students.expected_value) == (Decimal(700), Decimal(1250))
    assert students.likelihood == "确定能" and stored.conclusion == "整改"
    table = page.list_view.table
    row = column_values(table, COL_CODE).index(CODE)
    assert table.model().index(row, COL_PROJECT_LAMP).data() == "红灯"


def test_spending_above_budget_saves_with_a_warning(qtbot, page):
    dialog = open_project(qtbot, page)
    retype(dialog.spent_edit, "30")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.state_label.text() == "已保存"
    texts = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert any("超过调整后预算" in t for t in texts)


def test_a_red_indicator_blocks_closing_until_its_reason_is_entered(
    qtbot, page, june_db, rules, shown_messages
):
    dialog = open_project(qtbot, page)
    type_in_cell(dialog.table, cell(dialog, "补助学生人数", COL_CURRENT), "300")
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    click_confirm(qtbot, page)
    missing = page.missing_dialog
    assert missing is not None and missing.isVisible()
    assert missing.codes() == [CODE]
    assert missing.list.item(0).text() == (
        f"项目 {CODE}（县卫生健康局项目1）：指标“补助学生人数”为红灯，"
        "须选择偏差原因类别、填写偏差原因说明"
    )
    assert "2 处偏差原因未填写（涉及 1 个项目）" in missing.summary.text()
    assert [r.status for r in list_rounds(june_db, 2025)] == ["open"]

    # The list item leads to the project, the cursor on the first cell to fill.
    item = missing.list.item(0)
    click_cell_rect = missing.list.visualItemRect(item).center()
    qtbot.mouseClick(missing.list.viewport(), Qt.MouseButton.LeftButton, pos=click_cell_rect)
    dialog = page.entry_dialog
    assert dialog.isVisible() and dialog.row.project_code == CODE
    assert dialog.table.currentIndex() == cell(dialog, "补助学生人数", COL_CATEGORY)

    choose_in_cell(dialog.table, dialog.table.currentIndex(), "人员保障")
    assert missing.codes() == [CODE]  # not saved yet: still missing
    type_in_cell(dialog.table, cell(dialog, "补助学生人数", COL_REASON), "招生人数少于计划")
    assert cell(dialog, "补助学生人数", COL_REASON).data() == "招生人数少于计划"
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert missing.codes() == []
    assert "已全部填写" in missing.summary.text()

    click_confirm(qtbot, page)
    assert [r.status for r in list_rounds(june_db, 2025)] == ["closed"]
    assert shown_messages.texts[-1] == "2025年6月监控已关闭，数据转为只读。"
    assert page.round_combo.currentText() == "6月（已关闭）"
    assert page.banner.isVisible() and "关闭，数据只读" in page.banner.text()
    assert not page.close_button.isEnabled()
    stored = next(r for r in round_rows(june_db, 2025, 6, rules) if r.project_code == CODE)
    assert stored.indicators[0].deviation_reason == "招生人数少于计划"


def test_a_closed_round_opens_read_only(qtbot, page, june_db, rules):
    click_confirm(qtbot, page)  # nothing red or yellow among indicators: closes
    dialog = open_project(qtbot, page)
    assert dialog.read_only and dialog.banner.isVisible()
    assert not dialog.save_button.isVisible() and not dialog.save_close_button.isVisible()
    assert dialog.budget_edit.isReadOnly() and not dialog.conclusion_combo.isEnabled()
    index = cell(dialog, "补助学生人数", COL_CURRENT)
    assert not (dialog.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    click_cell(dialog.table, index)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    assert dialog.table.indexWidget(index) is None
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.save()


def test_keyboard_enter_opens_the_form_and_ctrl_s_saves(qtbot, page, june_db, rules):
    table = page.list_view.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(column_values(table, COL_CODE).index(CODE), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = page.entry_dialog
    assert dialog is not None and dialog.row.project_code == CODE
    retype(dialog.spent_edit, "12")
    dialog.activateWindow()  # shortcuts work in the active window, as on a desktop
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.spent_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.state_label.text() == "已保存"
    stored = next(r for r in round_rows(june_db, 2025, 6, rules) if r.project_code == CODE)
    assert stored.spent == Decimal(120000)


def test_a_qualitative_cell_offers_only_its_choices(qtbot, page):
    dialog = open_project(qtbot, page)
    # The standard goal has no qualitative indicator; a likelihood cell is a drop-down.
    editor = open_editor(dialog.table, cell(dialog, "补助学生人数", COL_LIKELIHOOD))
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "（空）",
        "确定能",
        "有可能",
        "完全不可能",
    ]
