"""Review in the GUI: submit, return with row reasons, resubmit, approve, bulk actions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from app.domain.enums import GoalStatus
from app.services.goals import goal_for_project, load_goal
from app.ui.goals.editor import GoalEditorDialog
from app.ui.goals.indicator_grid_cells import COL_TARGET
from app.ui.goals.problems_panel import RETURN
from app.ui.goals.review_dialogs import (
    BulkResultDialog,
    BulkReturnDialog,
    RefusalTableModel,
    ReturnGoalDialog,
    RowReasonModel,
)
from app.ui.goals.review_history import HistoryDialog, RevisionTableModel
from tests.gui.goal_editor_helpers import (
    activate,
    goal_county,
    keep_unsaved_changes,  # noqa: F401 (autouse fixture)
    spec,
    type_cell,
    type_chinese_text,
    when_modal,
)
from tests.gui.helpers import column_values

BAD_POINTS = tuple(
    (l1, l2, name, comp, target, unit, "5" if i == 0 else points)
    for i, (l1, l2, name, comp, target, unit, points) in enumerate(spec("x").indicators)
)


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


def _fill_return_dialog(overall: str, row: int, reason: str):  # type: ignore[no-untyped-def]
    def act(dialog: ReturnGoalDialog) -> None:
        type_chinese_text(dialog.overall, overall)
        index = dialog.rows.index(row, RowReasonModel.REASON)
        dialog.table.setCurrentIndex(index)  # opens the reason's editor (any trigger edits)
        (line,) = dialog.table.viewport().findChildren(QLineEdit)
        type_chinese_text(line, reason)
        dialog.ok_button.click()

    return act


def test_return_with_a_row_reason_then_resubmit(qtbot, open_editor, db):
    ids = goal_county(db, spec("219001001", status=GoalStatus.SUBMITTED))
    goal_id = goal_for_project(db, ids["219001001"]).id
    editor = open_editor(goal_id)
    assert editor.approve_button.isEnabled() and not editor.save_button.isEnabled()
    when_modal(ReturnGoalDialog, _fill_return_dialog("请细化产出指标", 1, "准确率应写明口径"))
    editor.return_button.click()
    detail = load_goal(db, goal_id)
    assert detail.status is GoalStatus.RETURNED
    assert [(c.row, c.text) for c in detail.return_comments] == [
        (None, "请细化产出指标"),
        (2, "准确率应写明口径"),
    ]
    # The editor unlocks, says why in the banner and lists the reasons located to rows.
    assert not editor.grid.read_only and "已被退回" in editor.banner.text()
    assert "请细化产出指标" in editor.banner.text()
    comments = [i.problem for i in editor.problems_panel.model.items() if i.kind == RETURN]
    assert [(p.row, p.message) for p in comments] == [
        (None, "请细化产出指标"),
        (2, "准确率应写明口径"),
    ]
    activate(qtbot, editor)
    type_cell(editor.grid, 1, COL_TARGET, "99.5")
    editor.submit_button.click()  # saves first, then submits
    detail = load_goal(db, goal_id)
    assert (detail.status, detail.revision) == (GoalStatus.SUBMITTED, 2)
    assert detail.indicators[1].target == Decimal("99.5")
    history = editor.history.model
    assert [history.row_at(r).status_to for r in range(history.rowCount())] == [
        "待审核",
        "已退回",
    ]
    assert "99.5" in history.row_at(0).changes
    assert "第2行" in history.row_at(1).reason


def test_return_needs_a_reason(open_editor, db, shown_messages):
    ids = goal_county(db, spec("219001002", status=GoalStatus.SUBMITTED))
    editor = open_editor(goal_for_project(db, ids["219001002"]).id)
    seen = []

    def act(dialog: ReturnGoalDialog) -> None:
        dialog.ok_button.click()  # nothing filled: refused, the dialog stays
        seen.append(dialog.isVisible())
        dialog.reject()

    when_modal(ReturnGoalDialog, act)
    editor.return_button.click()
    assert seen == [True]
    assert shown_messages.texts == ["请填写退回原因：总体意见或至少一个指标的意见"]
    assert editor.detail.status is GoalStatus.SUBMITTED


def test_approval_blocked_shows_the_located_problems(open_editor, db, shown_messages):
    ids = goal_county(db, spec("219001003", status=GoalStatus.SUBMITTED, indicators=BAD_POINTS))
    editor = open_editor(goal_for_project(db, ids["219001003"]).id)
    editor.approve_button.click()
    assert editor.detail.status is GoalStatus.SUBMITTED
    (text,) = shown_messages.texts
    assert "不能通过审核" in text and "“分值”列：指标分值合计 75" in text
    assert editor.problems_panel.blocking_count() == 1


@pytest.fixture
def review_page(qtbot, db, rules):
    """The 绩效目标 page over four 2025 projects: two submitted, one blocked, one without a goal."""
    from app.ui.goals.page import GoalsPage

    goal_county(
        db,
        spec("219001011", status=GoalStatus.SUBMITTED),
        spec("219001012", status=GoalStatus.SUBMITTED),
        spec("219001013", status=GoalStatus.SUBMITTED, indicators=BAD_POINTS),
        spec("219001014", indicators=()),
    )
    page = GoalsPage(db)
    qtbot.addWidget(page)
    page.set_database(db, 2025)
    page.show()
    qtbot.waitExposed(page)
    return page


def _statuses(page) -> dict[str, str]:
    return {r.code: r.status for r in page.model.visible_rows()}


def test_bulk_approve_with_one_refused(review_page, monkeypatch):
    from app.ui.widgets import confirm

    asked = []
    monkeypatch.setattr(confirm, "_answer", lambda *a: asked.append(a[2]) or True)
    review_page.select_codes({"219001011", "219001012", "219001013", "219001014"})
    shown = {}

    def read(dialog: BulkResultDialog) -> None:
        shown["summary"] = dialog.summary.text()
        shown["refused"] = column_values(dialog.table, 0)
        shown["reasons"] = column_values(dialog.table, 1)
        dialog.accept()

    when_modal(BulkResultDialog, read)
    review_page.buttons["批量通过…"].click()
    assert "选中的 4 个项目" in asked[0]
    assert shown["summary"] == "已通过 2 个绩效目标。以下 2 个未能通过，原因如下："
    assert [r.split()[0] for r in shown["refused"]] == ["219001013", "219001014"]
    assert "指标分值合计 75" in shown["reasons"][0]
    assert shown["reasons"][1] == "尚未填报绩效目标"
    assert _statuses(review_page) == {
        "219001011": "已通过",
        "219001012": "已通过",
        "219001013": "待审核",
        "219001014": "未填报",
    }
    assert {r.code for r in review_page.selected_rows()} == {
        "219001011",
        "219001012",
        "219001013",
        "219001014",
    }


def test_bulk_approve_cancelled_changes_nothing(review_page, monkeypatch):
    from app.ui.widgets import confirm

    monkeypatch.setattr(confirm, "_answer", lambda *a: False)
    review_page.select_codes({"219001011"})
    review_page.buttons["批量通过…"].click()
    assert _statuses(review_page)["219001011"] == "待审核"


def test_bulk_return_with_a_reason(review_page):
    review_page.select_codes({"219001011", "219001012"})

    def act(dialog: BulkReturnDialog) -> None:
        type_chinese_text(dialog.reason, "请补充效益指标")
        dialog.accept()

    when_modal(BulkReturnDialog, act)
    when_modal(BulkResultDialog, lambda d: d.accept())
    review_page.buttons["批量退回…"].click()
    statuses = _statuses(review_page)
    assert (statuses["219001011"], statuses["219001012"]) == ("已退回", "已退回")


def test_single_actions_from_the_list(review_page, db, shown_messages):
    review_page.select_codes({"219001013"})
    review_page.table.setCurrentIndex(review_page.table.selectionModel().selectedRows()[0])
    review_page.buttons["审核通过"].click()
    assert "不能通过审核" in shown_messages.texts[-1]
    when_modal(ReturnGoalDialog, _fill_return_dialog("分值不对", 0, "分值过低"))
    review_page.buttons["退回…"].click()
    assert _statuses(review_page)["219001013"] == "已退回"
    review_page.buttons["提交审核"].click()  # still blocked: refused with the located list
    assert "不能提交" in shown_messages.texts[-1]
    seen = []
    when_modal(HistoryDialog, lambda d: seen.append(d.panel.model.rowCount()) or d.reject())
    review_page.buttons["审核记录"].click()
    assert seen == [1]


def test_double_click_opens_and_creates_a_draft(review_page, qtbot):
    review_page.select_codes({"219001014"})
    index = review_page.table.selectionModel().selectedRows()[0]
    review_page.table.setCurrentIndex(index)
    QTest.keyClick(review_page.table, Qt.Key.Key_Return)
    (editor,) = review_page.editors
    assert editor.detail.project_code == "219001014" and editor.detail.status is GoalStatus.DRAFT
    assert _statuses(review_page)["219001014"] == "草稿"
    assert review_page.open_current_goal() is editor  # one editor per goal
    editor.close()


def test_department_goal_opens_for_the_chosen_unit(review_page, county_unit_key):
    assert review_page.tree.select_key(county_unit_key)
    editor = review_page.open_department_goal()
    assert editor is not None
    assert editor.detail.department_code == "219001" and editor.header.budget_edit.isVisible()
    assert not editor.header.total_edit.isVisible()
    editor.close()


@pytest.fixture
def county_unit_key(review_page):
    from app.ui.widgets.department_tree import department_key

    row = review_page.model.visible_rows()[0]
    return department_key(row.department_id)


def test_review_models_pass_the_model_tester(qtmodeltester, db, rules):
    from app.domain.errors import Problem
    from app.services.goals import Refusal, approve_goal, submit_goal
    from app.ui.goals.problems_panel import ProblemListModel, panel_items

    ids = goal_county(db, spec("219001020"))
    goal_id = goal_for_project(db, ids["219001020"]).id
    submit_goal(db, goal_id, rules)
    detail = approve_goal(db, goal_id, rules)
    history = RevisionTableModel()
    history.set_rows(detail.history)
    qtmodeltester.check(history)
    reasons = RowReasonModel(detail)
    assert reasons.setData(reasons.index(0, RowReasonModel.REASON), "理由")
    assert reasons.reasons() == {detail.indicators[0].id: "理由"}
    qtmodeltester.check(reasons)
    refusals = RefusalTableModel([Refusal(1, "A", "项目 A", ("原因一", "原因二"))])
    qtmodeltester.check(refusals)
    problems = ProblemListModel()
    problems.set_items(
        panel_items([Problem("x", row=1, column="分值"), Problem("y", blocking=False)])
    )
    qtmodeltester.check(problems)
