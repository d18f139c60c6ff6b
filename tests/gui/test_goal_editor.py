"""The goal editor driven like a user: typing, pasting, live checks, saving, submitting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from app.domain.enums import Comparator, GoalStatus
from app.services.goals import goal_for_project, load_goal
from app.services.library.records import load_default_library
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.indicator_grid_cells import (
    COL_LEVEL1,
    COL_LEVEL2,
    COL_NAME,
    COL_POINTS,
    COL_TARGET,
    COL_UNIT,
)
from app.ui.goals.problems_panel import BLOCKING, WARNING
from tests.gui.goal_editor_helpers import (
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_cell,
    type_chinese_text,
    type_into,
)

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def open_editor(qtbot, db, rules):
    def open_(goal_id: int) -> GoalEditorDialog:
        editor = GoalEditorDialog(db, goal_id, rules)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        with qtbot.waitActive(editor):
            editor.activateWindow()
        return editor

    return open_


@pytest.fixture
def new_goal(db):
    """An empty 草稿 for a new project with no goal yet (as 未填报 projects open)."""
    load_default_library(db)
    ids = goal_county(db, spec("219001001", name="村级文化书屋建设", indicators=()))
    return goal_for_project(db, ids["219001001"]).id


def _blocking(editor) -> list[str]:
    return [i.problem.message for i in editor.problems_panel.model.items() if i.kind == BLOCKING]


def _grid(editor) -> list[tuple]:
    return [
        (r.level1, r.level2, r.name, r.comparator, r.target, r.unit, r.points)
        for r in editor.grid_model.rows()
    ]


def test_fill_a_goal_by_typing_then_fix_points_save_submit_approve(open_editor, db, new_goal):
    editor = open_editor(new_goal)
    header, grid = editor.header, editor.grid
    type_chinese_text(header.overall_edit, "新建村级文化书屋12个，丰富群众文化生活。")
    type_into(header.total_edit, "120.5")
    type_into(header.fiscal_edit, "120.5")
    type_into(header.functional_edit, "2070199")
    header.start_spin.setValue(2025)
    header.end_spin.setValue(2025)
    assert editor.grid_model.rowCount() == 0
    editor.toolbar.add_button.click()  # the first row
    type_cell(grid, 0, COL_LEVEL1, "产出指标", Qt.Key.Key_Tab)
    assert grid.currentIndex().column() == COL_LEVEL2
    type_cell(grid, 0, COL_LEVEL2, "数量指标", Qt.Key.Key_Tab)
    type_cell(grid, 0, COL_NAME, "新建文化书屋数量", Qt.Key.Key_Tab)
    type_cell(grid, 0, COL_TARGET, ">=12", Qt.Key.Key_Tab)  # comparator taken from the value
    type_cell(grid, 0, COL_UNIT, "个", Qt.Key.Key_Tab)
    type_cell(grid, 0, COL_POINTS, "40")  # Enter: back to where the Tabs began, a new row
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, COL_LEVEL1)
    assert editor.grid_model.row_at(1).level2 == "数量指标", editor.grid_model.rows()  # same class
    tab = Qt.Key.Key_Tab
    type_cell(grid, 1, COL_LEVEL2, "社会效益指标", tab)  # moves the row to 效益指标
    type_cell(grid, 1, COL_NAME, "群众文化活动参与人次", tab)
    type_cell(grid, 1, COL_TARGET, ">=5000", tab)
    type_cell(grid, 1, COL_UNIT, "人次", tab)
    type_cell(grid, 1, COL_POINTS, "30", tab)
    QTest.keyClick(grid, Qt.Key.Key_Return, CTRL)  # a new row below, same 一级/二级
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, COL_NAME)
    type_cell(grid, 2, COL_LEVEL2, "服务对象满意度指标", tab)
    type_cell(grid, 2, COL_NAME, "群众满意度", tab)
    type_cell(grid, 2, COL_TARGET, ">=90%", tab)
    type_cell(grid, 2, COL_POINTS, "10", tab)
    editor.run_checks()
    ge = Comparator.GE
    assert _grid(editor) == [
        ("产出指标", "数量指标", "新建文化书屋数量", ge, Decimal(12), "个", Decimal(40)),
        (
            "效益指标",
            "社会效益指标",
            "群众文化活动参与人次",
            ge,
            Decimal(5000),
            "人次",
            Decimal(30),
        ),
        ("满意度指标", "服务对象满意度指标", "群众满意度", ge, Decimal(90), "%", Decimal(10)),
    ]
    assert _blocking(editor) == ["指标分值合计 80 加预算执行率分值 10 为 90，应为 100"]
    assert "90" in editor.toolbar.points_label.text()

    editor.toolbar.points_button.click()  # the points helper: 50 / 30 / 10
    editor.run_checks()
    assert [r.points for r in editor.grid_model.rows()] == [Decimal(50), Decimal(30), Decimal(10)]
    assert _blocking(editor) == []

    QTest.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert not editor.dirty
    saved = load_goal(db, new_goal)
    assert saved.total_amount == Decimal(1205000)
    assert saved.overall_target == "新建村级文化书屋12个，丰富群众文化生活。"
    assert all(r.id is not None for r in editor.grid_model.rows())

    editor.submit_button.click()
    assert editor.detail.status is GoalStatus.SUBMITTED
    assert editor.banner.isVisible() and "待审核" in editor.banner.text()
    assert editor.grid.read_only and not editor.approve_button.isHidden()
    editor.approve_button.click()
    assert load_goal(db, new_goal).status is GoalStatus.APPROVED
    assert "审核通过" in editor.banner.text()
    assert [h.status_to for h in editor.detail.history] == ["待审核", "已通过"]
    assert editor.history.model.rowCount() == 2


PASTED = (
    "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\t分值\t指标解释\r\n"
    "产出指标(50分)\t数量指标\t新建文化书屋数量\t≥\t12\t个\t20\t年内新建并验收\r\n"
    "\t\t配送图书册数\t\t>=3000册\t\t15\t\r\n"
    "\t质量指标\t书屋验收合格率\t\t100%\t\t10\t\r\n"
    "\t时效指标\t\t\t\t\t\t\r\n"
    "效益指标（30分）\t社会 效益指标\t群众文化活动参与人次\t正向\t≥5000\t人次\t30\t\r\n"
    "满意度指标(10分)\t服务对象满意度指标\t群众满意度\t\t≥90%\t\t10\t\r\n"
)


def test_paste_rows_from_excel_see_problem_fix_by_typing(open_editor, db, new_goal):
    editor = open_editor(new_goal)
    type_into(editor.header.total_edit, "50")
    type_into(editor.header.fiscal_edit, "50")
    type_chinese_text(editor.header.overall_edit, "建成书屋")
    QGuiApplication.clipboard().setText(PASTED)
    editor.grid.setFocus()
    QTest.keyClick(editor.grid, Qt.Key.Key_V, CTRL)  # an empty grid grows from row 1
    assert editor.grid_model.rowCount() == 5
    assert [r.name for r in editor.grid_model.rows()][:3] == [
        "新建文化书屋数量",
        "配送图书册数",
        "书屋验收合格率",
    ]
    editor.run_checks()
    assert _blocking(editor) == ["指标分值合计 85 加预算执行率分值 10 为 95，应为 100"]
    warnings = [i.problem for i in editor.problems_panel.model.items() if i.kind == WARNING]
    assert any("与默认分配" in p.message for p in warnings)
    type_cell(editor.grid, 2, COL_POINTS, "15")  # fix it by typing
    editor.run_checks()
    assert _blocking(editor) == []
    editor.save_button.click()
    assert [r.points for r in load_goal(db, new_goal).indicators] == [
        Decimal(v) for v in (20, 15, 15, 30, 10)
    ]


def test_paste_a_column_into_existing_rows(open_editor, db):
    ids = goal_county(db, spec("219001002"))
    editor = open_editor(goal_for_project(db, ids["219001002"]).id)
    QGuiApplication.clipboard().setText("1300\n")
    editor.grid.go_to(0, COL_TARGET)
    editor.grid.setFocus()
    QTest.keyClick(editor.grid, Qt.Key.Key_V, CTRL)
    assert editor.grid_model.row_at(0).target == Decimal(1300)
    QGuiApplication.clipboard().setText("人数A\t=\n人数B\t<=\n")
    editor.grid.go_to(4, COL_NAME)
    QTest.keyClick(editor.grid, Qt.Key.Key_V, CTRL)
    rows = editor.grid_model.rows()
    assert len(rows) == 6  # rows 5 and 6 were overwritten, nothing added
    assert [(r.name, r.comparator) for r in rows[4:]] == [
        ("人数A", Comparator.EQ),
        ("人数B", Comparator.LE),
    ]


def test_tab_and_enter_move_like_a_spreadsheet(open_editor, db):
    ids = goal_county(db, spec("219001003"))
    editor = open_editor(goal_for_project(db, ids["219001003"]).id)
    grid = editor.grid
    grid.go_to(0, COL_NAME)
    grid.setFocus()
    QTest.keyClick(grid, Qt.Key.Key_Tab)
    QTest.keyClick(grid, Qt.Key.Key_Tab)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, COL_NAME + 2)
    QTest.keyClick(grid, Qt.Key.Key_Return)  # back to where the Tabs began, one row down
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, COL_NAME)
    QTest.keyClick(grid, Qt.Key.Key_Return)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (2, COL_NAME)
    QTest.keyClick(grid, Qt.Key.Key_Backtab)
    assert grid.currentIndex().column() == COL_LEVEL2
    grid.go_to(5, 7)  # the last cell: Tab starts a new row
    QTest.keyClick(grid, Qt.Key.Key_Tab)
    assert editor.grid_model.rowCount() == 7
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (6, 0)
    QTest.keyClick(grid, Qt.Key.Key_Tab)
    grid.go_to(6, 7)
    QTest.keyClick(grid, Qt.Key.Key_Tab)  # never a second blank row
    assert editor.grid_model.rowCount() == 7


def test_rows_move_and_delete_by_keyboard(open_editor, db):
    ids = goal_county(db, spec("219001004"))
    editor = open_editor(goal_for_project(db, ids["219001004"]).id)
    grid = editor.grid
    names = [r.name for r in editor.grid_model.rows()]
    grid.go_to(1, COL_NAME)
    grid.setFocus()
    QTest.keyClick(grid, Qt.Key.Key_Up, ALT)
    assert [r.name for r in editor.grid_model.rows()][:2] == [names[1], names[0]]
    assert grid.currentIndex().row() == 0
    QTest.keyClick(grid, Qt.Key.Key_Down, ALT)
    QTest.keyClick(grid, Qt.Key.Key_Down, ALT)
    assert [r.name for r in editor.grid_model.rows()][:3] == [names[0], names[2], names[1]]
    QTest.keyClick(grid, Qt.Key.Key_Delete, CTRL)
    assert [r.name for r in editor.grid_model.rows()] == [names[0], names[2], *names[3:]]
    assert editor.dirty
    QTest.keyClick(grid, Qt.Key.Key_Delete)  # Delete alone clears the cell
    assert editor.grid_model.row_at(grid.currentIndex().row()).name == ""


def test_clicking_a_problem_selects_its_cell(open_editor, db, rules):
    no_unit = tuple(
        (l1, l2, name, comp, target, "" if i == 1 else unit, points)
        for i, (l1, l2, name, comp, target, unit, points) in enumerate(spec("x").indicators)
    )
    ids = goal_county(db, spec("219001005", indicators=no_unit))
    editor = open_editor(goal_for_project(db, ids["219001005"]).id)
    model = editor.problems_panel.model
    (row,) = [i for i, item in enumerate(model.items()) if item.problem.column == "计量单位"]
    assert model.items()[row].kind == BLOCKING
    index = model.index(row)
    editor.problems_panel.list.scrollTo(index)
    rect = editor.problems_panel.list.visualRect(index)
    QTest.mouseClick(
        editor.problems_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert (editor.grid.currentIndex().row(), editor.grid.currentIndex().column()) == (1, COL_UNIT)
    cell = editor.grid_model.index(1, COL_UNIT)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "定量指标缺少计量单位"


def test_checks_run_after_typing_stops(qtbot, open_editor, db):
    ids = goal_county(db, spec("219001006"))
    editor = open_editor(goal_for_project(db, ids["219001006"]).id)
    assert _blocking(editor) == []
    with qtbot.waitSignal(editor.checks_updated):
        type_cell(editor.grid, 0, COL_POINTS, "5")
    assert _blocking(editor) == ["指标分值合计 75 加预算执行率分值 10 为 85，应为 100"]


def test_header_problem_focuses_its_field(open_editor, db):
    ids = goal_county(db, spec("219001007"))
    editor = open_editor(goal_for_project(db, ids["219001007"]).id)
    type_into(editor.header.total_edit, "99")
    editor.run_checks()
    (problem,) = [i.problem for i in editor.problems_panel.model.items() if i.kind == BLOCKING]
    assert problem.column == "资金总额"
    editor.go_to_problem(problem)
    assert editor.header.total_edit.hasFocus()


@pytest.mark.parametrize("status", [GoalStatus.SUBMITTED, GoalStatus.APPROVED])
def test_locked_goal_cannot_be_edited(open_editor, db, status):
    ids = goal_county(db, spec("219001008", status=status))
    editor = open_editor(goal_for_project(db, ids["219001008"]).id)
    assert editor.banner.isVisible()
    assert "不能修改" in editor.banner.text()
    before = editor.grid_model.rows()
    type_cell(editor.grid, 0, COL_NAME, "abc")
    QTest.keyClick(editor.grid, Qt.Key.Key_Delete, CTRL)
    QTest.keyClick(editor.grid, Qt.Key.Key_Insert)
    assert editor.grid_model.rows() == before
    assert editor.header.name_edit.isReadOnly()
    assert not editor.save_button.isEnabled() and not editor.submit_button.isEnabled()
    assert not editor.save()


def test_closing_with_changes_asks_and_saves(open_editor, db, monkeypatch):
    from app.ui.widgets import confirm

    asked = []
    monkeypatch.setattr(confirm, "_answer", lambda *a: asked.append(a[2]) or True)
    ids = goal_county(db, spec("219001009"))
    goal_id = goal_for_project(db, ids["219001009"]).id
    editor = open_editor(goal_id)
    type_cell(editor.grid, 0, COL_NAME, "renamed")
    editor.close()
    assert asked == ["绩效目标有未保存的修改，关闭前保存吗？"]
    assert load_goal(db, goal_id).indicators[0].name == "renamed"


def test_save_refused_shows_the_reason(open_editor, db, shown_messages):
    ids = goal_county(db, spec("219001010"))
    editor = open_editor(goal_for_project(db, ids["219001010"]).id)
    type_cell(editor.grid, 0, COL_POINTS, "1.555")
    assert not editor.save()
    assert "分值最多保留两位小数" in shown_messages.texts[-1]
    assert editor.dirty


def test_grid_model_passes_the_model_tester(qtmodeltester, rules):
    from app.ui.goals.indicator_grid_cells import blank_row, split_clipboard
    from app.ui.goals.indicator_grid_model import IndicatorGridModel
    from tests.gui.test_goal_editor_cells import EXCEL_BLOCK

    model = IndicatorGridModel(rules.goals)
    model.paste(0, 0, split_clipboard(EXCEL_BLOCK))
    model.insert_blank(2, model.row_at(1))
    model.move_row(0, 1)
    model.set_problems([])
    model.remove_rows_at([3])
    assert model.setData(model.index(0, COL_TARGET), "≤5天")
    assert not model.setData(model.index(0, COL_POINTS), "abc")
    assert model.rowCount(QModelIndex()) == 5
    model.insert_rows_at(0, [blank_row()])
    qtmodeltester.check(model)


def test_copy_rows_for_excel_and_paste_them_back(open_editor, db):
    ids = goal_county(db, spec("219001011"))
    editor = open_editor(goal_for_project(db, ids["219001011"]).id)
    grid, model = editor.grid, editor.grid_model
    grid.setFocus()
    grid.selectRow(0)
    QTest.keyClick(grid, Qt.Key.Key_C, CTRL)
    text = QGuiApplication.clipboard().text()
    assert text == "产出指标\t数量指标\t补助学生人数\t≥\t1200\t人\t20\t\n"
    grid.go_to(5, 0)
    QTest.keyClick(grid, Qt.Key.Key_V, CTRL)  # over the last row
    assert model.row_at(5).name == "补助学生人数" and model.rowCount() == 6
