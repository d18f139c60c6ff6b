"""The indicator library beside the grid: search, filters, add to the goal, save a row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.enums import Comparator
from app.services.goals import goal_for_project
from app.services.library.records import load_default_library
from app.services.library.search import library_items
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.indicator_grid_cells import COL_NAME, COL_TARGET
from app.ui.goals.library_panel import LibraryPanel
from tests.gui.goal_editor_helpers import (
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_cell,
    type_chinese_text,
)


@pytest.fixture
def panel(qtbot, db, rules):
    load_default_library(db)
    widget = LibraryPanel(rules.goals)
    qtbot.addWidget(widget)
    widget.set_items(library_items(db))
    widget.show()
    return widget


def _names(panel) -> list[str]:
    return [i.name for i in panel.model.visible_items()]


def test_search_filters_as_you_type(panel):
    total = panel.model.rowCount()
    assert total >= 150 and panel.count_label.text() == f"显示 {total} / {total} 个指标"
    type_chinese_text(panel.search, "满意")
    names = _names(panel)
    assert names and len(names) < total
    assert all(
        "满意" in n or "满意" in i.explanation
        for n, i in zip(names, panel.model.visible_items(), strict=True)
    )
    type_chinese_text(panel.search, "度 受益")  # more words narrow further
    assert set(_names(panel)) <= set(names)
    panel.search.clear()
    QTest.keyClicks(panel.search, "no-such-indicator")
    assert panel.model.rowCount() == 0 and panel.explanation.text() == ""


def test_level_filters_limit_the_level2_choices(panel):
    panel.level1_combo.setCurrentText("满意度指标")
    choices = [panel.level2_combo.itemText(i) for i in range(panel.level2_combo.count())]
    assert choices == ["全部二级指标", "服务对象满意度指标"]
    assert {i.level1 for i in panel.model.visible_items()} == {"满意度指标"}
    panel.level1_combo.setCurrentText("产出指标")
    panel.level2_combo.setCurrentText("成本指标")
    items = panel.model.visible_items()
    assert items and {(i.level1, i.level2) for i in items} == {("产出指标", "成本指标")}


def test_field_filter(panel):
    fields = [panel.field_combo.itemText(i) for i in range(panel.field_combo.count())]
    assert fields[:2] == ["全部行业", "通用"] and len(fields) > 5
    panel.field_combo.setCurrentText("交通")
    items = panel.model.visible_items()
    assert items and {i.field for i in items} == {"交通"}
    assert "行业：交通" in panel.explanation.text()


def test_library_model_passes_the_model_tester(qtmodeltester, panel):
    qtmodeltester.check(panel.model)


@pytest.fixture
def editor(qtbot, db, rules):
    load_default_library(db)
    ids = goal_county(db, spec("219001001"))
    dialog = GoalEditorDialog(db, goal_for_project(db, ids["219001001"]).id, rules)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_double_click_adds_next_to_its_class_ready_for_the_target(editor):
    library = editor.library
    type_chinese_text(library.search, "受益群众满意度")
    assert library.model.rowCount() >= 1
    item = library.model.item_at(0)
    rect = library.table.visualRect(library.model.index(0, 0))
    viewport = library.table.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # a double click
    QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())  # is both
    rows = editor.grid_model.rows()
    assert len(rows) == 7
    added = rows[-1]  # after the last 满意度 row, which was the last row
    assert (added.level1, added.level2, added.name) == (item.level1, item.level2, item.name)
    assert added.library_indicator_id == item.id and added.target is None
    assert (editor.grid.currentIndex().row(), editor.grid.currentIndex().column()) == (
        6,
        COL_TARGET,
    )
    type_cell(editor.grid, 6, COL_TARGET, "95")
    assert editor.grid_model.row_at(6).target == 95


def test_enter_or_button_adds_a_cost_indicator_after_the_cost_rows(editor):
    library = editor.library
    library.level1_combo.setCurrentText("产出指标")
    library.level2_combo.setCurrentText("数量指标")
    library.table.setFocus()
    QTest.keyClick(library.table, Qt.Key.Key_Return)
    assert editor.grid_model.row_at(1).level2 == "数量指标"  # after the only 数量 row
    assert editor.grid_model.rowCount() == 7
    library.add_button.click()
    assert editor.grid_model.rowCount() == 8


def test_save_a_row_to_the_library_once(editor, db, shown_messages):
    type_cell(editor.grid, 0, COL_NAME, "新建村级书屋数量")
    editor.grid.go_to(0, COL_NAME)
    editor.toolbar.library_button.click()
    editor.toolbar.library_button.click()
    assert shown_messages.texts == [
        "已将“新建村级书屋数量”存入指标库（行业：通用）",
        "指标库中已有“新建村级书屋数量”（行业：通用），未重复添加",
    ]
    saved = [i for i in library_items(db) if i.name == "新建村级书屋数量"]
    assert [(i.level2, i.comparator, i.unit, i.source) for i in saved] == [
        ("数量指标", Comparator.GE, "人", "user")
    ]
    type_chinese_text(editor.library.search, "新建村级书屋")
    assert [i.name for i in editor.library.model.visible_items()] == ["新建村级书屋数量"]


def test_locked_goal_does_not_take_library_entries(qtbot, db, rules, shown_messages):
    from app.domain.enums import GoalStatus

    load_default_library(db)
    ids = goal_county(db, spec("219001002", status=GoalStatus.APPROVED))
    dialog = GoalEditorDialog(db, goal_for_project(db, ids["219001002"]).id, rules)
    qtbot.addWidget(dialog)
    assert not dialog.library.add_button.isEnabled()
    dialog.add_library_item(dialog.library.model.item_at(0))
    assert dialog.grid_model.rowCount() == 6
    assert "不能修改" in shown_messages.texts[-1]
