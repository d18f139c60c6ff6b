"""What a seat sees of another seat that is a real OS process on the same PostgreSQL
database (issue 17's proof; the races themselves: tests/integration/test_seats_processes.py)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from app.services.common.catalog import project_rows
from app.services.goals import goal_for_project, load_goal
from app.services.setup import operator
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.project_table import COL_CODE
from app.ui.widgets.conflict_dialog import ConflictDialog
from tests.gui.goal_editor_helpers import (
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_chinese_text,
    when_modal,
)
from tests.gui.helpers import column_values
from tests.integration.test_seats_processes import race

pytestmark = pytest.mark.skipif(
    not os.environ.get("BPM_TEST_DATABASE_URL"), reason="BPM_TEST_DATABASE_URL not set"
)
MINE = "我在编辑器里补充的目标"


def test_a_goal_saved_by_another_process_shows_one_conflict_and_keeps_the_typing(
    qtbot, db, database_target, rules, tmp_path, monkeypatch
):
    goal_id = goal_for_project(db, goal_county(db, spec("219001001"))["219001001"]).id
    operator.choose("李四")
    editor = GoalEditorDialog(db, goal_id, rules)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    type_chinese_text(editor.header.overall_edit, MINE)
    outcomes = race("save_goal", str(database_target), ["张三"], tmp_path / "seat", goal_id)
    assert outcomes["张三"] == {"outcome": "ran", "field": "overall_target", "conflict": None}

    shown: list[ConflictDialog] = []
    real_init = ConflictDialog.__init__

    def counted(dialog: ConflictDialog, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        real_init(dialog, *args, **kwargs)
        shown.append(dialog)

    monkeypatch.setattr(ConflictDialog, "__init__", counted)
    answered: list[ConflictDialog] = []

    def cancel(dialog: ConflictDialog) -> None:
        answered.append(dialog)
        dialog.cancel_button.click()

    when_modal(ConflictDialog, cancel)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answered))
    assert shown == answered  # one conflict dialog, no second one behind it
    assert "张三" in shown[0].table.horizontalHeaderItem(2).text()
    assert MINE in editor.header.overall_edit.toPlainText() and editor.is_dirty()
    assert load_goal(db, goal_id).overall_target == "张三输入的内容"  # theirs stands


def test_a_project_binned_by_another_process_leaves_this_seats_open_page(
    qtbot, main_window, db, database_target, county, tmp_path
):
    page = main_window.goals_page
    main_window.navigation.setCurrentRow(0)
    gone = county.codes[2025][0]
    assert gone in column_values(page.table, COL_CODE)
    project_id = next(r.id for r in project_rows(db, 2025) if r.code == gone)
    race("delete_project", str(database_target), ["张三"], tmp_path / "seat", project_id)
    qtbot.waitUntil(lambda: gone not in column_values(page.table, COL_CODE), timeout=10_000)
