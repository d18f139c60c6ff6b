"""分配分值: asks before overwriting typed points, spreads in the rule set's step (cents,
half or whole points), and 撤销分配 / Ctrl+Z puts the old points back."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.enums import Comparator
from app.services.goals import goal_for_project
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.indicator_grid_cells import COL_NAME
from tests.gui.goal_editor_helpers import (
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_cell,
)

STANDARD = [Decimal(p) for p in (20, 10, 10, 10, 30, 10)]  # 产出 ×4, 效益, 满意度
THREE_OUTPUTS = (
    ("产出指标", "数量指标", "产出1", Comparator.GE, "1", "个", "0"),
    ("产出指标", "数量指标", "产出2", Comparator.GE, "1", "个", "0"),
    ("产出指标", "数量指标", "产出3", Comparator.GE, "1", "个", "0"),
    ("效益指标", "社会效益指标", "效益", Comparator.GE, "1", "人", "0"),
    ("满意度指标", "服务对象满意度指标", "满意度", Comparator.GE, "90", "%", "0"),
)


@pytest.fixture
def open_editor(qtbot, db, rules):
    def open_(indicators=None, step: str = "0.01") -> GoalEditorDialog:
        extra = {} if indicators is None else {"indicators": indicators}
        ids = goal_county(db, spec("219001001", **extra))
        stepped = replace(rules, goals=replace(rules.goals, points_step=Decimal(step)))
        editor = GoalEditorDialog(db, goal_for_project(db, ids["219001001"]).id, stepped)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        with qtbot.waitActive(editor):
            editor.activateWindow()
        return editor

    return open_


def points(editor) -> list:
    return [r.points for r in editor.grid_model.rows()]


def test_typed_points_are_overwritten_only_when_confirmed(open_editor, keep_unsaved_changes):  # noqa: F811
    editor = open_editor()
    keep_unsaved_changes.press("取消")
    editor.toolbar.points_button.click()
    assert keep_unsaved_changes.texts == ["有 4 行已填写的分值将被覆盖。"]
    assert points(editor) == STANDARD
    assert not editor.toolbar.undo_points_button.isEnabled()
    keep_unsaved_changes.press("覆盖")
    editor.toolbar.points_button.click()
    assert points(editor) == [Decimal("12.5")] * 4 + [Decimal(30), Decimal(10)]


def test_blank_points_are_filled_without_asking(open_editor, keep_unsaved_changes):  # noqa: F811
    editor = open_editor()
    editor.grid_model.set_points([None] * 6)  # as after clearing the 分值 column
    editor.toolbar.points_button.click()
    assert keep_unsaved_changes.asked == []
    assert points(editor) == [Decimal("12.5")] * 4 + [Decimal(30), Decimal(10)]


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("0.01", ["16.67", "16.67", "16.66"]),
        ("0.5", ["17", "16.5", "16.5"]),
        ("1", ["17", "17", "16"]),
    ],
)
def test_points_spread_in_the_rule_sets_step(open_editor, keep_unsaved_changes, step, expected):  # noqa: F811
    editor = open_editor(THREE_OUTPUTS, step)
    keep_unsaved_changes.press("覆盖")  # the factory's 0 points count as typed
    editor.toolbar.points_button.click()
    assert points(editor)[:3] == [Decimal(p) for p in expected]
    assert sum(points(editor)[:3]) == 50


def test_undo_by_button_and_by_ctrl_z(open_editor, keep_unsaved_changes):  # noqa: F811
    editor = open_editor()
    keep_unsaved_changes.press("覆盖", "覆盖")
    editor.toolbar.points_button.click()
    assert editor.toolbar.undo_points_button.isEnabled()
    editor.toolbar.undo_points_button.click()
    assert points(editor) == STANDARD
    assert not editor.toolbar.undo_points_button.isEnabled()
    editor.toolbar.points_button.click()
    editor.grid.setFocus()
    QTest.keyClick(editor.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert points(editor) == STANDARD


def test_an_edit_after_spreading_ends_the_undo(open_editor, keep_unsaved_changes):  # noqa: F811
    editor = open_editor()
    keep_unsaved_changes.press("覆盖")
    editor.toolbar.points_button.click()
    type_cell(editor.grid, 0, COL_NAME, "renamed")
    assert not editor.toolbar.undo_points_button.isEnabled()
    QTest.keyClick(editor.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert points(editor)[0] == Decimal("12.5")
