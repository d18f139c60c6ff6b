"""整改 page driven like a user: generate, overdue counted and red, reply and close in the
dialog, the dialog's ways out with and without unsaved work, export."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.key_evaluation import ObjectKind
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.ui.rectification.page import OVERDUE_BACKGROUND, RectificationPage
from tests import factories
from tests.gui.goal_editor_helpers import type_chinese_text
from tests.gui.helpers import Answers

YEAR = 2025
POOR = {"补助学生人数": "300", "家庭经济困难学生资助覆盖率": "20", "受助学生满意度": "0"}


@pytest.fixture
def page(qtbot, db, rules):
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=1)
        factories.self_evaluation(s, projects[0], POOR)  # 差 → one item
    plan = ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台", problems="台账不全")
    ke.create_evaluation(db, YEAR, plan, rules)  # one more item
    widget = RectificationPage(db)
    widget.today = lambda: date(2026, 3, 1)
    qtbot.addWidget(widget)
    widget.set_database(db, YEAR)
    widget.show()
    qtbot.waitUntil(lambda: not widget._stale)
    return widget


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """The 保存 / 不保存 / 取消 questions, answered by label as queued (不保存 when nothing is)."""
    return Answers(default="不保存").install(monkeypatch)


def test_generate_then_overdue_shows_red_and_counted(qtbot, page, shown_messages):
    assert "整改台账为空" in page.counts_label.text()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert "新增2项（评价等级1项，重点评价1项）" in shown_messages.texts[-1]
    assert page.model.rowCount() == 2
    assert page.counts_label.text() == "共2项：未整改2项，整改中0项，已整改0项，逾期0项。"
    page.today = lambda: date(2026, 5, 1)  # after the 60-day deadline
    page.reload()
    assert "逾期2项" in page.counts_label.text()
    assert "c62828" in page.counts_label.styleSheet()
    index = page.model.index(0, 0)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert "没有新的整改事项；已在台账中的2项保持不变" in shown_messages.texts[-1]


def test_reply_and_close_in_the_dialog(qtbot, page, db, answers, shown_messages, tmp_path):
    page.generate()
    page.table.selectRow(0)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("已整改"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # closing needs a reply
    assert "请填写单位的整改情况反馈" in shown_messages.texts[-1]
    type_chinese_text(dialog.reply_edit, "已完成整改并报送资料")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "已整改1项" in page.counts_label.text()
    assert page.export_to(tmp_path / "台账.xlsx") == 2
    assert answers.asked == []


@pytest.mark.parametrize("way", ["close_button", "escape", "window_x"])
def test_every_way_out_asks_about_unsaved_work(qtbot, page, db, answers, way):
    page.generate()
    dialog = page.open_dialog(page.model.row_at(0))
    qtbot.waitExposed(dialog)
    type_chinese_text(dialog.reply_edit, "正在整改")
    answers.press("保存")
    if way == "close_button":
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    elif way == "escape":
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        dialog.close()
    assert answers.texts == ["整改事项有未保存的修改，关闭前保存吗？"]
    assert sorted(answers.asked[0][1]) == sorted(["保存", "不保存", "取消"])
    assert not dialog.isVisible()
    saved = next(r for r in rect.ledger(db, YEAR, date(2026, 3, 1)).rows if r.id == dialog.row.id)
    assert (saved.reply, saved.status) == ("正在整改", "整改中")


def test_closing_unchanged_asks_nothing_and_不保存_discards(qtbot, page, db, answers):
    page.generate()
    dialog = page.open_dialog(page.model.row_at(0))
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.asked == []
    dialog = page.open_dialog(page.model.row_at(0))
    type_chinese_text(dialog.reply_edit, "草稿")
    dialog.close()
    assert not dialog.isVisible()
    assert all(r.reply == "" for r in rect.ledger(db, YEAR, date(2026, 3, 1)).rows)


def test_the_overdue_filter(page):
    page.generate()
    page.overdue_only.setChecked(True)
    assert page.model.rowCount() == 0
    page.today = lambda: date(2026, 5, 1)
    page.reload()
    assert page.model.rowCount() == 2


def test_ledger_model_passes_the_model_tester(qtmodeltester, page):
    page.generate()
    qtmodeltester.check(page.model)
