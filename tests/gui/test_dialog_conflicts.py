"""Two seats save one record in the 部门整体 monitoring, key-evaluation and rectification
dialogs: the second sees both versions field by field and chooses 保留我的, 采用对方的 or
逐项合并; leaving the choice unanswered keeps the typed text in the dialog, unsaved.

Each dialog is a Case: the field typed into (which the other seat also changed) and a
second field only the other seat changed, read back from the store and from the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.rectification import Status
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.services.monitoring.department import department_round_rows
from app.services.monitoring.department_entries import DepartmentEdit, update_department_entry
from app.services.monitoring.department_form import department_form
from app.services.setup import operator
from app.ui.key_evaluation.dialog import KeyEvaluationDialog
from app.ui.monitoring.department_dialog import DepartmentDialog
from app.ui.rectification.dialog import RectificationDialog
from app.ui.widgets.conflict_dialog import MINE, THEIRS, ConflictDialog
from app.ui.widgets.editing_dialog import EditingDialog
from tests.gui.bureau_records import (
    DEPARTMENTS,
    department_entry,
    policy_evaluation,
    rectification_item,
)
from tests.gui.goal_editor_helpers import (
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    type_chinese_text,
    when_modal,
)

MINE_TEXT, THEIR_TEXT = "我填写的内容", "对方填写的内容"
TODAY = date(2026, 3, 1)


@dataclass
class Case:
    dialog: EditingDialog
    field: str  # the key of the typed field; `other` the key only they changed
    other: str
    labels: list[str]  # the differing lines, as the conflict view lists them
    stored: Callable[[], tuple[object, object]]  # (typed field, other field) as stored
    shown: Callable[[], tuple[object, object]]  # the same, as the form shows them
    before: object  # the other field before they saved
    theirs: object  # and after


def department(db, rules) -> Case:  # type: ignore[no-untyped-def]
    row = department_entry(db, rules)
    dialog = DepartmentDialog(db, rules, department_form(db, row.entry_id, rules), 2025, None)
    type_chinese_text(dialog.note_edit, MINE_TEXT)
    theirs = DepartmentEdit(
        row.basic_adjusted, Decimal(30_000), row.project_adjusted, row.project_spent,
        note=THEIR_TEXT,
    )  # fmt: skip
    operator.choose("张三")
    update_department_entry(db, row.entry_id, theirs, rules, row.version)

    def stored() -> tuple[object, object]:
        now = department_round_rows(db, 2025, 6, rules)[0]
        return now.conclusion_note, now.basic_spent

    def shown() -> tuple[object, object]:
        edit = dialog.current_edit()[0]
        return edit.note, edit.basic_spent

    labels = ["基本支出执行数（万元）", "结论说明"]
    before, after = row.basic_spent, theirs.basic_spent
    return Case(dialog, "note", "basic_spent", labels, stored, shown, before, after)


def key_evaluation(db, rules) -> Case:  # type: ignore[no-untyped-def]
    row = policy_evaluation(db, rules)
    dialog = KeyEvaluationDialog(db, 2025, rules, DEPARTMENTS, row)
    type_chinese_text(dialog.problems_edit, MINE_TEXT)
    operator.choose("张三")
    theirs = replace(row.plan, problems=THEIR_TEXT, agency="对方机构")
    ke.save_evaluation(db, row.id, theirs, rules, list(row.items), row.version)

    def stored() -> tuple[object, object]:
        now = ke.load_evaluation(db, row.id, rules).plan
        return now.problems, now.agency

    def shown() -> tuple[object, object]:
        return dialog.problems_edit.toPlainText(), dialog.agency_edit.text()

    labels = ["第三方机构", "发现的问题"]
    return Case(dialog, "problems", "agency", labels, stored, shown, "", "对方机构")


def rectification(db, rules) -> Case:  # type: ignore[no-untyped-def]
    row = rectification_item(db, rules, TODAY)
    dialog = RectificationDialog(db, row, lambda: TODAY)
    type_chinese_text(dialog.reply_edit, MINE_TEXT)
    operator.choose("张三")
    theirs = rect.ItemEdit("对方的整改要求", row.deadline, Status.IN_PROGRESS, THEIR_TEXT)
    rect.update_item(db, row.id, theirs, TODAY, row.version)

    def stored() -> tuple[object, object]:
        now = rect.load_item(db, row.id, TODAY)
        return now.reply, now.action

    def shown() -> tuple[object, object]:
        return dialog.reply_edit.toPlainText(), dialog.action_edit.toPlainText()

    labels = ["整改要求", "状态", "单位反馈"]  # they answered, so it is 整改中 for them
    return Case(dialog, "reply", "action", labels, stored, shown, row.action, theirs.action)


CASES = {"部门整体监控": department, "重点评价": key_evaluation, "整改事项": rectification}


@pytest.fixture(params=list(CASES))
def case(request, qtbot, db, rules) -> Case:  # type: ignore[no-untyped-def]
    built = CASES[request.param](db, rules)
    operator.choose("李四")  # the seat at this dialog
    qtbot.addWidget(built.dialog)
    built.dialog.show()
    qtbot.waitExposed(built.dialog)
    return built


def save_answering(qtbot, dialog: EditingDialog, answer) -> ConflictDialog:  # type: ignore[no-untyped-def]
    seen: list[ConflictDialog] = []

    def act(dialog: ConflictDialog) -> None:
        seen.append(dialog)
        answer(dialog)

    when_modal(ConflictDialog, act)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def test_keep_mine_saves_every_typed_value(qtbot, case):
    conflict = save_answering(qtbot, case.dialog, lambda d: d.keep_mine_button.click())
    assert [line.label for line in conflict.lines] == case.labels
    assert conflict.table.horizontalHeaderItem(2).text().startswith("对方的修改（张三，")
    line = next(line for line in conflict.lines if line.key == case.field)
    assert (line.mine, line.theirs) == (MINE_TEXT, THEIR_TEXT)
    assert case.stored() == (MINE_TEXT, case.before)
    assert not case.dialog.is_dirty()


def test_take_theirs_shows_and_keeps_the_other_seats_values(qtbot, case):
    save_answering(qtbot, case.dialog, lambda d: d.take_theirs_button.click())
    assert case.stored() == (THEIR_TEXT, case.theirs)
    assert case.shown() == (THEIR_TEXT, case.theirs)
    assert not case.dialog.is_dirty()


def test_merge_takes_each_line_as_chosen(qtbot, case):
    def merge(conflict: ConflictDialog) -> None:
        for line in conflict.lines:
            conflict.choose(line.key, MINE if line.key == case.field else THEIRS)
        conflict.merge_button.click()

    save_answering(qtbot, case.dialog, merge)
    assert case.stored()[0] == MINE_TEXT and case.stored()[1] == case.theirs
    assert not case.dialog.is_dirty()


@pytest.mark.parametrize("way_out", ["取消", "Esc", "X"])
def test_leaving_the_conflict_unanswered_loses_nothing(qtbot, case, way_out):
    ways = {
        "取消": lambda d: d.cancel_button.click(),
        "Esc": lambda d: QTest.keyClick(d, Qt.Key.Key_Escape),
        "X": lambda d: d.close(),
    }
    save_answering(qtbot, case.dialog, ways[way_out])
    assert case.dialog.isVisible() and case.dialog.is_dirty()
    assert case.shown() == (MINE_TEXT, case.before)  # kept, still to be saved
    assert case.stored() == (THEIR_TEXT, case.theirs)


def test_a_scored_item_is_shown_alone_and_taken_with_theirs(qtbot, db, rules):
    row = policy_evaluation(db, rules)
    dialog = KeyEvaluationDialog(db, 2025, rules, DEPARTMENTS, row)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_chinese_text(dialog.problems_edit, MINE_TEXT)
    operator.choose("张三")
    items = list(row.items)
    items[1] = replace(items[1], score=Decimal(2), evidence="对方的依据")
    ke.save_evaluation(db, row.id, row.plan, rules, items, row.version)
    operator.choose("李四")

    def merge(conflict: ConflictDialog) -> None:
        conflict.choose("items", THEIRS)  # their scoring, my problems
        conflict.merge_button.click()

    conflict = save_answering(qtbot, dialog, merge)
    line = next(line for line in conflict.lines if line.key == "items")
    assert line.theirs == f"第2项 {items[1].name} 3分 得2分（对方的依据）"
    assert line.mine == f"第2项 {items[1].name} 3分 未评分"
    stored = ke.load_evaluation(db, row.id, rules)
    assert (stored.plan.problems, stored.items[1].score) == (MINE_TEXT, Decimal(2))
    assert dialog.model.items()[1].evidence == "对方的依据"
