"""财政重点评价 page driven like a user: add an evaluation, score it, see the grade, export
the report; the dialog's ways out (保存并关闭, 关闭, Esc, X) with and without unsaved work."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QTableView

from app.domain.key_evaluation import ObjectKind
from app.services import key_evaluation as ke
from app.ui.key_evaluation.dialog import KeyEvaluationDialog
from app.ui.key_evaluation.items_model import COL_POINTS, COL_SCORE, ItemsTableModel
from app.ui.key_evaluation.page import KeyEvaluationPage
from app.ui.widgets import confirm
from tests import factories
from tests.gui.goal_editor_helpers import activate, type_into
from tests.gui.helpers import Answers

YEAR = 2025


@pytest.fixture
def page(qtbot, db):
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    widget = KeyEvaluationPage(db)
    qtbot.addWidget(widget)
    widget.set_database(db, YEAR)
    widget.show()
    qtbot.waitUntil(lambda: not widget._stale)
    return widget


@pytest.fixture
def unsaved(monkeypatch) -> Answers:
    """The 保存 / 不保存 / 取消 questions, answered by label as queued (不保存 when nothing is)."""
    return Answers(default="不保存").install(monkeypatch)


@pytest.fixture
def answers(monkeypatch):
    """Yes/no questions (删除) asked, answered by the test's `reply` (default 取消)."""
    asked: list[str] = []
    reply = {"value": False}

    def answer(_parent, _title, text, _yes, _no):
        asked.append(text)
        return reply["value"]

    monkeypatch.setattr(confirm, "_answer", answer)
    return asked, reply


def _type_cell(view: QTableView, row: int, column: int, text: str) -> None:
    view.setCurrentIndex(view.model().index(row, column))
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_F2)  # the edit key opens the cell's editor
    (editor,) = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, text)
    # Moving to another cell commits the edit (offscreen, Return alone may not reach the
    # delegate before the test reads the model).
    view.setCurrentIndex(view.model().index(row, 0))


def _fill_new(dialog: KeyEvaluationDialog) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(ObjectKind.DEPARTMENT))
    dialog.department_combo.setCurrentIndex(dialog.department_combo.findData("301002"))
    type_into(dialog.subject_edit, "县水利局部门整体支出")
    type_into(dialog.reason_edit, "资金规模大")
    type_into(dialog.amount_edit, "350")


def test_add_score_and_see_the_grade(qtbot, page, db, rules, answers, unsaved, tmp_path):
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.model.rowCount() == 20
    activate(qtbot, dialog)
    _fill_new(dialog)
    for row in range(20):  # full marks …
        points = dialog.model.index(row, COL_POINTS).data()
        _type_cell(dialog.table, row, COL_SCORE, points)
    _type_cell(dialog.table, 19, COL_SCORE, "0")  # … except 满意度 (8 points): 92 → 优
    assert "已填得分合计92分" in dialog.total_label.text()
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.model.rowCount() == 1
    row = page.model.row_at(0)
    assert (row.code, row.total, row.scored, row.grade) == ("ZD2025-01", D(92), 20, "优")
    assert "部门整体1项" in page.summary_label.text()
    page.table.selectRow(0)
    assert page.export_report_file(tmp_path / "报告.pdf") == tmp_path / "报告.pdf"
    assert answers[0] == [] and unsaved.asked == []


def test_wrong_weights_keep_the_dialog_open_with_the_reason(qtbot, page, shown_messages, unsaved):
    dialog = page.open_dialog(None)
    activate(qtbot, dialog)
    _fill_new(dialog)
    _type_cell(dialog.table, 0, COL_POINTS, "30")
    qtbot.mouseClick(dialog.save_close_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.dirty
    assert "各项分值合计应为100分，实际为127分" in shown_messages.texts[-1]
    _type_cell(dialog.table, 0, COL_POINTS, "x")
    assert not dialog.save()
    assert "第1行“分值”列：“x”不是数字" in shown_messages.texts[-1]
    assert page.model.rowCount() == 0


@pytest.mark.parametrize("way", ["close_button", "escape", "window_x"])
def test_every_way_out_asks_about_unsaved_work(qtbot, page, db, rules, unsaved, way):
    row = ke.create_evaluation(
        db, YEAR, ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台"), rules
    )
    page.reload()
    dialog = page.open_dialog(page.model.row_at(0))
    qtbot.waitExposed(dialog)
    type_into(dialog.agency_edit, "ABC")
    unsaved.press("保存")
    if way == "close_button":
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    elif way == "escape":
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        dialog.close()
    assert unsaved.texts == ["重点评价有未保存的修改，关闭前保存吗？"]
    assert sorted(unsaved.asked[0][1]) == sorted(["保存", "不保存", "取消"])
    assert not dialog.isVisible()
    assert ke.load_evaluation(db, row.id, rules).plan.agency == "ABC"


def test_closing_without_changes_asks_nothing_and_不保存_discards(qtbot, page, db, rules, unsaved):
    row = ke.create_evaluation(
        db, YEAR, ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台"), rules
    )
    page.reload()
    dialog = page.open_dialog(page.model.row_at(0))
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and unsaved.asked == []
    dialog = page.open_dialog(page.model.row_at(0))
    type_into(dialog.agency_edit, "ABC")
    dialog.close()  # answered 不保存
    assert not dialog.isVisible()
    assert ke.load_evaluation(db, row.id, rules).plan.agency == ""


def test_delete_asks_first(qtbot, page, db, rules, answers):
    ke.create_evaluation(
        db, YEAR, ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台"), rules
    )
    page.reload()
    page.table.selectRow(0)
    assert not page.delete_selected()  # answered 取消
    answers[1]["value"] = True
    assert page.delete_selected()
    assert page.model.rowCount() == 0


def test_items_model_passes_the_model_tester(qtmodeltester):
    model = ItemsTableModel()
    model.set_items(ke.template_items())
    qtmodeltester.check(model)


def test_a_scored_evaluation_opens_with_its_grade(qtbot, page, db, rules):
    plan = ke.PlanEdit(ObjectKind.POLICY, "农机补贴政策", "301001", "新出台")
    row = ke.create_evaluation(db, YEAR, plan, rules)
    ke.save_items(db, row.id, [replace(i, score=i.points) for i in row.items], rules)
    page.reload()
    dialog = page.open_dialog(page.model.row_at(0))
    assert dialog.total_label.text().endswith("已填得分合计100分，等级“优”")
    assert not dialog.dirty
