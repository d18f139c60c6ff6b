"""历史参考 in the goal editor: last year's targets and actuals of this project, what similar
projects used, one action to add them, and the history findings among the live checks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.enums import Comparator, GoalStatus
from app.services.goals import goal_for_project
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.indicator_grid_cells import COL_TARGET
from app.ui.goals.suggestions_panel import COL_LAST_ACTUAL, COL_LAST_TARGET, COL_SOURCE
from tests import factories
from tests.gui.goal_editor_helpers import (
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    type_cell,
)

SHARED = factories.STANDARD_INDICATORS
HOUSING = ("产出指标", "数量指标", "资助寄宿生人数", Comparator.GE, "300", "人", "10")


@pytest.fixture
def editor(qtbot, db, rules):  # type: ignore[no-untyped-def]
    """2024: this project (1,200 students planned, 1,500 reached) and five similar ones that
    also counted boarders; 2025: this project's draft with last year's target unchanged."""
    with db.transaction() as s:
        y2024, y2025 = factories.year(s, 2024), factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        last = factories.project_with_goal(s, y2024, dept, factories.ProjectSpec("219001001"))
        missed = {
            "资金拨付及时率": "90",
            "家庭经济困难学生资助覆盖率": "97",
            "受助学生满意度": "88",
        }
        factories.self_evaluation(
            s, last, {"补助学生人数": "1500", "生均补助标准": "700", **missed}
        )
        for n in range(2, 7):
            rows = ((*SHARED[0][:6], "10"), HOUSING, *SHARED[1:])
            spec = factories.ProjectSpec(f"21900100{n}", name=f"学生资助项目{n}", indicators=rows)
            factories.project_with_goal(s, y2024, dept, spec)
        this = factories.project_with_goal(
            s, y2025, dept, factories.ProjectSpec("219001001", status=GoalStatus.DRAFT)
        )
        project_id = this.id
    dialog = GoalEditorDialog(db, goal_for_project(db, project_id).id, rules)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def _cell(editor, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    model = editor.suggestions.model
    return model.index(row, column).data()


def test_continuing_project_shows_last_years_targets_beside_actuals(editor) -> None:  # type: ignore[no-untyped-def]
    panel = editor.suggestions
    editor.tabs.setCurrentWidget(panel)
    names = [s.name for s in panel.model.visible_rows()]
    first = names.index("补助学生人数")
    assert _cell(editor, first, COL_SOURCE) == "本项目"
    assert (_cell(editor, first, COL_LAST_TARGET), _cell(editor, first, COL_LAST_ACTUAL)) == (
        "≥1200人",
        "1500人",
    )
    similar = next(s for s in panel.model.visible_rows() if s.name == "资助寄宿生人数")
    assert similar.projects == 5 and similar.typical_text == "≥300人"
    assert "上年本项目 6 个指标" in panel.note.text()


def test_the_unmoved_target_is_a_located_finding_with_its_figures(editor) -> None:  # type: ignore[no-untyped-def]
    history = [p for p in editor.problems if "目标不高于上年实际" in p.message]
    assert [(p.row, p.column, p.blocking) for p in history] == [(1, "指标值", False)]
    assert "≥1200人" in history[0].message and "1500人" in history[0].message
    texts = [item.text for item in editor.problems_panel.model.items()]
    assert any("第1行·指标值" in t and "1500人" in t for t in texts)
    # raising the target above last year's actual clears the finding
    type_cell(editor.grid, 0, COL_TARGET, "1600")
    editor.run_checks()
    assert editor.grid_model.row_at(0).target == 1600
    assert not [p for p in editor.problems if "目标不高于上年实际" in p.message]


def test_one_action_adds_the_ticked_indicators_not_yet_in_the_goal(editor, shown_messages) -> None:  # type: ignore[no-untyped-def]
    panel = editor.suggestions
    editor.tabs.setCurrentWidget(panel)
    model = panel.model
    rows = model.visible_rows()
    housing = next(i for i, s in enumerate(rows) if s.name == "资助寄宿生人数")
    # untick every other suggestion with Space on its box, as a user would
    panel.table.setFocus()
    for i in range(model.rowCount()):
        if i != housing:
            panel.table.setCurrentIndex(model.index(i, COL_SOURCE))
            QTest.keyClick(panel.table, Qt.Key.Key_Space)
    assert [s.name for s in model.ticked()] == ["资助寄宿生人数"]
    before = editor.grid_model.rowCount()
    panel.add_button.click()
    added = [r for r in editor.grid_model.rows() if r.name == "资助寄宿生人数"]
    assert editor.grid_model.rowCount() == before + 1
    assert [(r.level2, r.target, r.unit) for r in added] == [("数量指标", 300, "人")]
    assert editor.dirty
    panel.add_button.click()  # already in the goal: nothing added twice, and the user is told
    assert editor.grid_model.rowCount() == before + 1
    assert shown_messages.texts == ["勾选的指标都已在指标表中，未重复添加"]


def test_suggestion_model_passes_the_model_tester(qtmodeltester, editor) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(editor.suggestions.model)
