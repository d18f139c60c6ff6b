"""Two seats save one goal: the second sees both versions field by field and chooses; every
way of leaving the conflict unanswered keeps the typed text in the editor, unsaved."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.goals import goal_for_project, load_goal, save_goal
from app.services.monitoring import EntryEdit, open_round, round_rows, update_entry
from app.services.monitoring.entry_form import entry_form
from app.services.setup import operator
from app.services.spotcheck import ReviewEdit, draw_sample, review_sheet, save_review
from app.ui.goals.editor import GoalEditorDialog
from app.ui.monitoring.entry_dialog import EntryDialog
from app.ui.spotcheck.review_dialog import ReviewDialog
from app.ui.widgets.conflict_dialog import THEIRS, ConflictDialog
from tests import factories
from tests.gui.goal_editor_helpers import (
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_chinese_text,
    when_modal,
)

MINE_TEXT = "我在编辑器里补充的目标"
THEIR_TEXT = "对方保存的目标"
THEIR_TOTAL = Decimal(2_000_000)


@pytest.fixture
def conflict(qtbot, db, rules):
    """An editor with typed text, and another seat (张三) that saved the goal meanwhile."""
    goal_id = goal_for_project(db, goal_county(db, spec("219001001"))["219001001"]).id
    editor = GoalEditorDialog(db, goal_id, rules)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    type_chinese_text(editor.header.overall_edit, MINE_TEXT)
    mine_total = load_goal(db, goal_id).total_amount
    operator.choose("张三")
    other = load_goal(db, goal_id)
    theirs = replace(other.to_edit(), overall_target=THEIR_TEXT, total_amount=THEIR_TOTAL)
    save_goal(db, goal_id, theirs, rules, other.version)
    operator.choose("李四")
    seen: list[ConflictDialog] = []
    return editor, goal_id, mine_total, seen


def _save_answering(qtbot, editor, seen, answer) -> None:  # type: ignore[no-untyped-def]
    def act(dialog: ConflictDialog) -> None:
        seen.append(dialog)
        answer(dialog)

    when_modal(ConflictDialog, act)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))


def test_the_conflict_lists_each_differing_field_with_who_and_when(qtbot, conflict):
    editor, _goal_id, _total, seen = conflict
    _save_answering(qtbot, editor, seen, lambda d: d.cancel_button.click())
    dialog = seen[0]
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert labels == ["资金总额（万元）", "年度总体目标"]  # the indicators are alike: not listed
    assert dialog.table.horizontalHeaderItem(2).text().startswith("对方的修改（张三，")
    overall = labels.index("年度总体目标")
    assert MINE_TEXT in dialog.table.item(overall, 1).text()
    assert dialog.table.item(overall, 2).text() == THEIR_TEXT


def test_keep_mine_saves_the_typed_values_over_theirs(qtbot, db, conflict):
    editor, goal_id, mine_total, seen = conflict
    _save_answering(qtbot, editor, seen, lambda d: d.keep_mine_button.click())
    stored = load_goal(db, goal_id)
    assert MINE_TEXT in stored.overall_target
    assert stored.total_amount == mine_total
    assert not editor.is_dirty()
    assert editor.detail.version == stored.version  # the next save names the new version


def test_take_theirs_shows_and_keeps_the_other_seats_values(qtbot, db, conflict):
    editor, goal_id, _total, seen = conflict
    _save_answering(qtbot, editor, seen, lambda d: d.take_theirs_button.click())
    stored = load_goal(db, goal_id)
    assert (stored.overall_target, stored.total_amount) == (THEIR_TEXT, THEIR_TOTAL)
    assert editor.header.overall_edit.toPlainText() == THEIR_TEXT
    assert not editor.is_dirty()


def test_merge_by_field_takes_each_line_as_chosen(qtbot, db, conflict):
    editor, goal_id, _total, seen = conflict

    def merge(dialog: ConflictDialog) -> None:
        dialog.choose("total_amount", THEIRS)  # their money, my text
        dialog.merge_button.click()

    _save_answering(qtbot, editor, seen, merge)
    stored = load_goal(db, goal_id)
    assert MINE_TEXT in stored.overall_target
    assert stored.total_amount == THEIR_TOTAL


@pytest.mark.parametrize("way_out", ["取消", "Esc", "X"])
def test_leaving_the_conflict_unanswered_loses_nothing(qtbot, db, conflict, way_out, request):
    editor, goal_id, _total, seen = conflict
    ways = {
        "取消": lambda d: d.cancel_button.click(),
        "Esc": lambda d: QTest.keyClick(d, Qt.Key.Key_Escape),
        "X": lambda d: d.close(),
    }
    _save_answering(qtbot, editor, seen, ways[way_out])
    assert editor.isVisible()
    assert MINE_TEXT in editor.header.overall_edit.toPlainText()  # kept, still to be saved
    assert editor.is_dirty()
    stored = load_goal(db, goal_id)
    assert (stored.overall_target, stored.total_amount) == (THEIR_TEXT, THEIR_TOTAL)
    answers = request.getfixturevalue("keep_unsaved_changes")
    answers.press("取消")
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)  # 关闭 still asks
    assert answers.texts == ["绩效目标有未保存的修改，关闭前保存吗？"]
    assert editor.isVisible()


def test_a_monitoring_entry_merges_field_by_field(qtbot, db, rules):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    open_round(db, 2025, 6, rules)
    row = round_rows(db, 2025, 6, rules)[0]
    dialog = EntryDialog(db, rules, entry_form(db, row.entry_id, rules), 2025, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_chinese_text(dialog.note_edit, "我写的说明")
    operator.choose("张三")
    theirs = EntryEdit(row.adjusted_budget, Decimal(30_000), note="对方写的说明")
    update_entry(db, row.entry_id, theirs, rules, row.version)
    operator.choose("李四")
    seen: list[ConflictDialog] = []

    def merge(conflict: ConflictDialog) -> None:
        seen.append(conflict)
        conflict.choose("spent", THEIRS)  # their figure, my note
        conflict.merge_button.click()

    when_modal(ConflictDialog, merge)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert [line.label for line in seen[0].lines] == ["执行数（万元）", "结论说明"]
    stored = next(r for r in round_rows(db, 2025, 6, rules) if r.entry_id == row.entry_id)
    assert (stored.spent, stored.conclusion_note) == (Decimal(30_000), "我写的说明")
    assert not dialog.is_dirty()


def test_two_reviewers_the_second_takes_the_first_ones_review(qtbot, db, rules):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=1):
            factories.self_evaluation(s, p, claimed_total="100", claimed_grade="优")
    sample_id = draw_sample(db, 2025, rules, seed=11).sections[0].items[0].sample_id
    dialog = ReviewDialog(db, sample_id, rules)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_chinese_text(dialog.opinion, "我的审核意见")
    operator.choose("张三")
    first = review_sheet(db, sample_id, rules)
    save_review(db, sample_id, ReviewEdit(), rules, "张三的审核意见", first.version)
    operator.choose("李四")
    seen: list[ConflictDialog] = []

    def take_theirs(conflict: ConflictDialog) -> None:
        seen.append(conflict)
        conflict.take_theirs_button.click()

    when_modal(ConflictDialog, take_theirs)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert [line.label for line in seen[0].lines] == ["审核意见"]
    assert review_sheet(db, sample_id, rules).opinion == "张三的审核意见"
    assert dialog.opinion.toPlainText() == "张三的审核意见"
    assert not dialog.is_dirty()
