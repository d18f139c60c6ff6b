"""Work queues on the 绩效目标 page: the status filter, and the ex-ante requirement told in
the goal editor with a way to the 事前评估 page."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import GoalStatus, ProjectKind
from app.storage.models import Department, FiscalYear
from app.ui.assessment.page import AssessmentPage
from app.ui.goals.project_table import COL_CODE, COL_STATUS
from app.ui.widgets.department_tree import department_key
from tests import factories
from tests.gui.goal_editor_helpers import keep_unsaved_changes  # noqa: F401 (autouse fixture)
from tests.gui.helpers import column_values, type_chinese

DUE_CODE = "219001202599"  # new, 500 万元: over the 400 万元 threshold, not yet assessed


@pytest.fixture
def window(qtbot, db, county):
    """The test county plus one project that needs an ex-ante assessment."""
    with db.transaction() as s:
        fy = s.query(FiscalYear).filter_by(year=2025).one()
        unit = s.get(Department, county.departments["219001"])
        spec = factories.ProjectSpec(
            code=DUE_CODE, name="县城学校新建工程", kind=ProjectKind.NEW,
            amount_yuan=Decimal(5_000_000), status=GoalStatus.DRAFT,
        )  # fmt: skip
        factories.project_with_goal(s, fy, unit, spec)
    from app.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.database.close()


def choose(page, status: str) -> None:
    page.status_filter.setCurrentIndex(page.status_filter.findData(status))


@pytest.mark.parametrize("status", ["待审核", "已退回", "草稿", "未填报", "已通过"])
def test_the_status_filter_lists_one_queue(window, status):
    page = window.goals_page
    everything = Counter(column_values(page.table, COL_STATUS))
    choose(page, status)
    assert set(column_values(page.table, COL_STATUS)) == {status}
    assert page.model.rowCount() == everything[status]
    assert page.status_filter.currentText() == f"{status}（{everything[status]}）"
    assert page.count_label.text().startswith(f"共 {everything[status]} 个项目")
    choose(page, "全部")
    assert page.model.rowCount() == sum(everything.values()) == 19


def test_ex_ante_queue_lists_the_projects_that_cannot_be_approved_without_one(window):
    page = window.goals_page
    due_item = page.status_filter.findData("需事前评估")
    assert page.status_filter.itemText(due_item) == "需事前评估"  # counted once shown
    choose(page, "需事前评估")
    assert column_values(page.table, COL_CODE) == [DUE_CODE]
    assert page.status_filter.currentText() == "需事前评估（1）"


def test_an_empty_queue_says_so(window, county):
    page = window.goals_page
    page.tree.select_key(department_key(county.departments["305002"]))
    choose(page, "需事前评估")
    assert page.model.rowCount() == 0
    assert page.table.empty_label.isVisible()
    assert page.table.empty_label.text() == "所选单位中没有需事前评估的项目"


def test_the_editor_tells_the_ex_ante_requirement_and_jumps_there(qtbot, window):
    page = window.goals_page
    choose(page, "需事前评估")
    page.table.setCurrentIndex(page.model.index(0, 0))
    editor = page.open_current_goal()
    assert editor is not None
    banner = editor.ex_ante_banner
    assert banner.isVisible()
    assert banner.label.text().startswith("本项目须开展事前绩效评估（新增项目")
    assert "尚未录入评估结论" in banner.label.text()
    qtbot.mouseClick(banner.go_button, Qt.MouseButton.LeftButton)
    shown = window.pages.currentWidget()
    assert isinstance(shown, AssessmentPage)
    assert shown.selected() is not None and shown.selected().project_code == DUE_CODE


def test_no_banner_when_no_assessment_is_due(window):
    page = window.goals_page
    choose(page, "草稿")
    code = next(c for c in column_values(page.table, COL_CODE) if c != DUE_CODE)
    page.table.setCurrentIndex(page.model.index(column_values(page.table, COL_CODE).index(code), 0))
    editor = page.open_current_goal()
    assert editor is not None and not editor.ex_ante_banner.isVisible()


def test_an_approved_goal_is_past_the_queue_and_the_banner(window, db):
    from sqlalchemy import select

    from app.storage.models import Goal, Project

    with db.transaction() as s:  # approved before the rule applied, say
        goal = s.scalar(select(Goal).join(Project).where(Project.code == DUE_CODE))
        goal.status = GoalStatus.APPROVED.value
    page = window.goals_page
    page.reload()
    choose(page, "需事前评估")
    assert page.model.rowCount() == 0
    choose(page, "已通过")
    row = column_values(page.table, COL_CODE).index(DUE_CODE)
    page.table.setCurrentIndex(page.model.index(row, 0))
    editor = page.open_current_goal()
    assert editor is not None and not editor.ex_ante_banner.isVisible()


@pytest.mark.parametrize(("answer", "closes"), [("取消", False), ("不保存", True)])
def test_closing_the_main_window_asks_each_open_editor_first(window, monkeypatch, answer, closes):
    from app.ui.widgets import choice

    page = window.goals_page
    choose(page, "草稿")
    page.table.setCurrentIndex(page.model.index(0, 0))
    editor = page.open_current_goal()
    type_chinese(editor.header.overall_edit, "（补充）")
    asked = []
    monkeypatch.setattr(
        choice, "_present", lambda box: asked.append(box.text()) or choice.key_of(box, answer)
    )
    assert window.close() is closes
    assert asked == ["绩效目标有未保存的修改，关闭前保存吗？"]
    assert window.isVisible() is not closes and editor.isVisible() is not closes
    if not closes:  # leave as a user would: 不保存 this time
        monkeypatch.setattr(choice, "_present", lambda box: choice.key_of(box, "不保存"))
        assert window.close()


def test_opening_another_file_asks_the_open_editors_first(window, monkeypatch, tmp_path, db):
    from app.ui.widgets import choice

    page = window.goals_page
    choose(page, "草稿")
    page.table.setCurrentIndex(page.model.index(0, 0))
    editor = page.open_current_goal()
    type_chinese(editor.header.overall_edit, "（补充）")
    monkeypatch.setattr(choice, "_present", lambda box: choice.key_of(box, "取消"))
    assert not window.open_database_file(tmp_path / "other.sqlite3")
    assert window.database.target == db.target and editor.isVisible()
    monkeypatch.setattr(choice, "_present", lambda box: choice.key_of(box, "不保存"))
    assert editor.close()
