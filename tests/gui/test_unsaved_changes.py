"""No typed work is lost: every editing dialog, closed by 关闭, Esc or X, asks 保存 / 不保存 /
取消 when something is unsaved, and closes at once when nothing is.

Each dialog is a Case: how to open it, type into it, and tell whether the typing was saved.
Every case runs through every close path and every answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QDialogButtonBox

from app.domain.enums import GoalStatus
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.services.assessment.records import CandidateRow
from app.services.goals import goal_for_project, load_goal
from app.services.monitoring import open_round, round_rows
from app.services.monitoring.department import department_round_rows
from app.services.monitoring.department_form import department_form
from app.services.monitoring.entry_form import entry_form
from app.services.spotcheck import draw_sample, review_sheet
from app.ui.assessment.exemption_dialog import ExemptionDialog
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.review_dialogs import BulkReturnDialog, ReturnGoalDialog
from app.ui.key_evaluation.dialog import KeyEvaluationDialog
from app.ui.monitoring.department_dialog import DepartmentDialog
from app.ui.monitoring.entry_dialog import EntryDialog
from app.ui.rectification.dialog import RectificationDialog
from app.ui.spotcheck.review_dialog import ReviewDialog
from tests import factories
from tests.gui.bureau_records import (
    DEPARTMENTS,
    department_entry,
    policy_evaluation,
    rectification_item,
)
from tests.gui.goal_editor_helpers import goal_county, spec
from tests.gui.helpers import Answers, type_chinese

TYPED = "须补充满意度调查"


@dataclass
class Case:
    dialog: QDialog
    close_button: QAbstractButton
    typed: Callable[[], str]  # the text now in the field typed into
    saved: Callable[[], bool]  # whether the typing reached its destination


def goal_editor(db, rules) -> Case:  # type: ignore[no-untyped-def]
    ids = goal_county(db, spec("219001001"))
    goal_id = goal_for_project(db, ids["219001001"]).id
    dialog = GoalEditorDialog(db, goal_id, rules)
    field = dialog.header.overall_edit
    return Case(
        dialog,
        dialog.close_button,
        field.toPlainText,
        lambda: TYPED in load_goal(db, goal_id).overall_target,
    )


def monitoring_entry(db, rules) -> Case:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    open_round(db, 2025, 6, rules)
    entry_id = round_rows(db, 2025, 6, rules)[0].entry_id
    dialog = EntryDialog(db, rules, entry_form(db, entry_id, rules), 2025, None)

    def saved() -> bool:
        rows = round_rows(db, 2025, 6, rules)
        return any(r.conclusion_note == TYPED for r in rows)

    return Case(dialog, dialog.close_button, dialog.note_edit.text, saved)


def department_monitoring(db, rules) -> Case:  # type: ignore[no-untyped-def]
    entry_id = department_entry(db, rules).entry_id
    dialog = DepartmentDialog(db, rules, department_form(db, entry_id, rules), 2025, None)

    def saved() -> bool:
        return department_round_rows(db, 2025, 6, rules)[0].conclusion_note == TYPED

    return Case(dialog, dialog.close_button, dialog.note_edit.text, saved)


def key_evaluation(db, rules) -> Case:  # type: ignore[no-untyped-def]
    row = policy_evaluation(db, rules)
    dialog = KeyEvaluationDialog(db, 2025, rules, DEPARTMENTS, row)
    return Case(
        dialog,
        dialog.close_button,
        dialog.problems_edit.toPlainText,
        lambda: ke.load_evaluation(db, row.id, rules).plan.problems == TYPED,
    )


def rectification(db, rules) -> Case:  # type: ignore[no-untyped-def]
    today = date(2026, 3, 1)
    dialog = RectificationDialog(db, rectification_item(db, rules, today), lambda: today)
    return Case(
        dialog,
        dialog.close_button,
        dialog.reply_edit.toPlainText,
        lambda: rect.load_item(db, dialog.row.id, today).reply == TYPED,
    )


def spotcheck_review(db, rules) -> Case:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=1):
            factories.self_evaluation(s, p, claimed_total="100", claimed_grade="优")
    sample_id = draw_sample(db, 2025, rules, seed=11).sections[0].items[0].sample_id
    dialog = ReviewDialog(db, sample_id, rules)
    return Case(
        dialog,
        dialog.close_button,
        dialog.opinion.toPlainText,
        lambda: review_sheet(db, sample_id, rules).opinion == TYPED,
    )


def return_goal(db, rules) -> Case:  # type: ignore[no-untyped-def]
    ids = goal_county(db, spec("219001002", GoalStatus.SUBMITTED))
    dialog = ReturnGoalDialog(load_goal(db, goal_for_project(db, ids["219001002"]).id))
    return Case(
        dialog,
        _button(dialog, "取消"),
        dialog.overall.toPlainText,
        lambda: (
            dialog.result() == QDialog.DialogCode.Accepted and dialog.reasons().overall == TYPED
        ),
    )


def bulk_return(db, rules) -> Case:  # type: ignore[no-untyped-def]
    dialog = BulkReturnDialog(3)
    return Case(
        dialog,
        _button(dialog, "取消"),
        dialog.reason.toPlainText,
        lambda: dialog.result() == QDialog.DialogCode.Accepted,
    )


def exemption(db, rules) -> Case:  # type: ignore[no-untyped-def]
    candidate = CandidateRow(
        1, "219001", "县教育局", "219001001", "校舍维修改造", "新增", Decimal(6_000_000),
        None, 2025, 2025, True, True, ("新增项目",), "", None, False,
    )  # fmt: skip
    dialog = ExemptionDialog(candidate)  # already exempt, the reason not yet given
    return Case(
        dialog,
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        dialog.reason.toPlainText,
        lambda: dialog.result() == QDialog.DialogCode.Accepted and dialog.choice().reason == TYPED,
    )


def _button(dialog: QDialog, label: str) -> QAbstractButton:
    box = dialog.findChild(QDialogButtonBox)
    return next(b for b in box.buttons() if b.text() == label)


CASES = {
    "目标编辑": goal_editor,
    "监控填报": monitoring_entry,
    "部门整体监控": department_monitoring,
    "重点评价": key_evaluation,
    "整改事项": rectification,
    "复核底稿": spotcheck_review,
    "退回意见": return_goal,
    "批量退回": bulk_return,
    "免评设置": exemption,
}


@pytest.fixture(params=list(CASES))
def case(request, qtbot, db, rules) -> Case:  # type: ignore[no-untyped-def]
    built = CASES[request.param](db, rules)
    qtbot.addWidget(built.dialog)
    built.dialog.show()
    qtbot.waitExposed(built.dialog)
    with qtbot.waitActive(built.dialog):
        built.dialog.activateWindow()
    return built


@pytest.fixture
def answers(monkeypatch) -> Answers:  # type: ignore[no-untyped-def]
    """Queued answers; an editor still dirty when the test ends is closed without saving."""
    return Answers(default="不保存").install(monkeypatch)


def type_into_case(case: Case) -> None:
    field = {
        GoalEditorDialog: lambda d: d.header.overall_edit,
        EntryDialog: lambda d: d.note_edit,
        DepartmentDialog: lambda d: d.note_edit,
        KeyEvaluationDialog: lambda d: d.problems_edit,
        RectificationDialog: lambda d: d.reply_edit,
        ReviewDialog: lambda d: d.opinion,
        ReturnGoalDialog: lambda d: d.overall,
        BulkReturnDialog: lambda d: d.reason,
        ExemptionDialog: lambda d: d.reason,
    }[type(case.dialog)](case.dialog)
    field.clear()
    type_chinese(field, TYPED)
    assert case.typed() == TYPED


def close_by(case: Case, path: str) -> None:
    if path == "关闭":
        QTest.mouseClick(case.close_button, Qt.MouseButton.LeftButton)
    elif path == "Esc":
        QTest.keyClick(QApplication.focusWidget() or case.dialog, Qt.Key.Key_Escape)
    else:
        case.dialog.close()  # what the window's X does


PATHS = ["关闭", "Esc", "X"]


@pytest.mark.parametrize("path", PATHS)
def test_nothing_typed_closes_without_asking(case, answers, path):
    close_by(case, path)
    assert not case.dialog.isVisible()
    assert answers.asked == []


@pytest.mark.parametrize("path", PATHS)
def test_save_saves_then_closes(case, answers, path):
    type_into_case(case)
    answers.press(case.dialog.save_label)  # 保存, or the dialog's action (退回)
    close_by(case, path)
    assert sorted(answers.asked[0][1]) == sorted([case.dialog.save_label, "不保存", "取消"])
    assert "关闭前" in answers.texts[0]
    assert not case.dialog.isVisible()
    assert case.saved()


@pytest.mark.parametrize("path", PATHS)
def test_dont_save_discards_and_closes(case, answers, path):
    type_into_case(case)
    answers.press("不保存")
    close_by(case, path)
    assert not case.dialog.isVisible()
    assert not case.saved()


@pytest.mark.parametrize("path", PATHS)
def test_cancel_keeps_the_dialog_open_with_the_text(case, answers, path):
    type_into_case(case)
    answers.press("取消")
    close_by(case, path)
    assert len(answers.asked) == 1
    assert case.dialog.isVisible()
    assert case.typed() == TYPED
    assert not case.saved()
