"""事前评估 page, driven like a user: select, type, choose, save; exempt; export; roll forward."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.enums import AssessmentConclusion, GoalStatus, ProjectKind
from app.domain.pre_assessment import Exemption
from app.services.assessment.records import load_assessment, set_exemption
from app.services.common.catalog import list_years, project_rows
from app.storage.database import Database
from app.ui.assessment import page as page_module
from app.ui.assessment.candidates_table import COL_CODE, COL_STATE
from app.ui.assessment.exemption_dialog import ExemptionChoice, ExemptionDialog
from app.ui.assessment.page import AssessmentPage
from tests.factories import ProjectSpec, department, project_with_goal, year
from tests.gui.helpers import Answers, column_values, type_chinese

YEAR = 2025


@pytest.fixture
def page(qtbot, db: Database):
    with db.transaction() as s:
        fy = year(s, YEAR)
        edu = department(s, "219001", "县教育局")
        for n, amount in enumerate(("5000000", "8000000", "4200000"), start=1):
            spec = ProjectSpec(code=f"21900100{n}", amount_yuan=Decimal(amount))
            spec.kind, spec.status = ProjectKind.NEW, GoalStatus.DRAFT
            project_with_goal(s, fy, edu, spec)
        small = ProjectSpec(code="219001009", amount_yuan=Decimal("100000"))
        project = project_with_goal(s, fy, edu, small)
        project.end_year = YEAR + 2  # continues next year: rolled forward
    widget = AssessmentPage(db)
    qtbot.addWidget(widget)
    widget.set_year(YEAR)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _choose(qtbot, combo, steps: int) -> None:
    """Pick an item with the keyboard, as a user does on a closed combo box."""
    combo.setFocus()
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def _fill(qtbot, page: AssessmentPage, conclusion_steps: int, approved: str = "") -> None:
    form = page.form
    for box in form.ratings.values():
        _choose(qtbot, box, 1)  # 优
    _choose(qtbot, form.conclusion, conclusion_steps)
    if approved:
        qtbot.keyClicks(form.approved, approved)
    type_chinese(form.assessor, "县财政局评审组")


def test_candidates_are_listed_and_the_model_is_sound(page, qtmodeltester):
    qtmodeltester.check(page.model)
    assert column_values(page.table, COL_CODE) == ["219001001", "219001002", "219001003"]
    assert set(column_values(page.table, COL_STATE)) == {"待评估"}
    assert "达到评估条件 3 个，待评估 3 个" in page.totals_label.text()


def test_recording_an_assessment_by_typing_updates_the_totals(qtbot, page, db):
    assert page.select_project("219001002")
    form = page.form
    assert form.requested.text() == "800.00"  # pre-filled with the project amount
    assert not form.save_button.isEnabled()
    _fill(qtbot, page, conclusion_steps=2, approved="600")  # 部分支持
    assert form.problems_label.text() == ""
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    record = load_assessment(db, page.selected().project_id)
    assert record.data.conclusion is AssessmentConclusion.PARTIAL
    assert record.data.approved == Decimal(6000000) and record.data.assessor == "县财政局评审组"
    text = page.totals_label.text()
    assert (
        "已评估 1 个　送审 800.00 万元　审定 600.00 万元　审减 200.00 万元　审减率 25.00%" in text
    )
    assert page.selected().project_code == "219001002"
    assert page.model.data(page.model.index(1, COL_STATE)) == "部分支持"


def test_live_validation_explains_and_blocks_saving(qtbot, page):
    page.select_project("219001001")
    form = page.form
    _fill(qtbot, page, conclusion_steps=2, approved="900")  # 审定 > 送审 500
    assert "审定金额应大于 0 且小于送审金额" in form.problems_label.text()
    assert not form.save_button.isEnabled()
    form.approved.clear()
    qtbot.keyClicks(form.approved, "450")
    assert form.save_button.isEnabled()
    form.requested.clear()
    qtbot.keyClicks(form.requested, "abc")
    assert "送审金额“abc”不是数字" in form.problems_label.text()


def test_support_disables_the_approved_amount(qtbot, page):
    page.select_project("219001003")
    _fill(qtbot, page, conclusion_steps=1)  # 予以支持
    assert not page.form.approved.isEnabled()
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    assert "送审 420.00 万元　审定 420.00 万元　审减 0.00 万元　审减率 0.00%" in (
        page.totals_label.text()
    )


def test_exemption_through_the_dialog(qtbot, page, monkeypatch):
    page.select_project("219001003")
    choice = ExemptionChoice(True, Exemption.EMERGENCY, "防汛抢险应急工程")
    monkeypatch.setattr(page_module, "ask_exemption", lambda parent, candidate: choice)
    qtbot.mouseClick(page.exempt_button, Qt.MouseButton.LeftButton)
    assert page.model.data(page.model.index(2, COL_STATE)) == "免于评估"
    assert "待评估 2 个" in page.totals_label.text()
    dialog = ExemptionDialog(page.selected(), page)
    qtbot.addWidget(dialog)
    assert dialog.exempt.isChecked() and dialog.reason.toPlainText() == "防汛抢险应急工程"
    dialog.reason.clear()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.hint.text() == "请填写免评理由"
    type_chinese(dialog.reason, "上级文件指定")
    assert ok.isEnabled()


def test_exemption_changed_by_another_seat_is_shown_not_overwritten(
    qtbot, page, db, monkeypatch, shown_messages
):
    page.select_project("219001003")
    other_seat = page.selected()
    set_exemption(db, other_seat.project_id, True, "省厅文件指定", Exemption.MANDATED)
    choice = ExemptionChoice(True, Exemption.EMERGENCY, "防汛抢险应急工程")
    monkeypatch.setattr(page_module, "ask_exemption", lambda parent, candidate: choice)
    qtbot.mouseClick(page.exempt_button, Qt.MouseButton.LeftButton)
    (_title, text, _details), *_ = shown_messages.shown
    assert "项目 219001003 的免评设置已被" in text and "您的修改未保存" in text
    assert page.selected().stored_exemption == "上级指定：省厅文件指定"  # theirs, reloaded
    assert page.model.data(page.model.index(2, COL_STATE)) == "免于评估"


def test_export_of_the_summary_table(qtbot, page, tmp_path, monkeypatch, shown_messages):
    target = tmp_path / "汇总表.docx"
    monkeypatch.setattr(page_module, "choose_save_path", lambda *args: target)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert target.exists() and target.stat().st_size > 0
    assert shown_messages.shown[-1][0] == "导出完成"


def test_roll_forward_after_confirmation(qtbot, page, db, monkeypatch, shown_messages):
    monkeypatch.setattr(page_module, "confirm", lambda *args: False)
    qtbot.mouseClick(page.rollover_button, Qt.MouseButton.LeftButton)
    assert list_years(db) == [YEAR]
    asked = []
    monkeypatch.setattr(page_module, "confirm", lambda *args: asked.append(args[2]) or True)
    announced: list[frozenset[str]] = []
    db.subscribe(announced.append)
    qtbot.mouseClick(page.rollover_button, Qt.MouseButton.LeftButton)
    assert "复制到 2026 年度" in asked[0]
    assert announced == [{"year", "project", "goal", "settings"}]  # the new year's rules
    assert list_years(db) == [YEAR, YEAR + 1]
    assert [r.code for r in project_rows(db, YEAR + 1)] == ["219001009"]
    title, text, _ = shown_messages.shown[-1]
    assert title == "年度结转完成" and "结转项目 1 个" in text


def _click_row(qtbot, page: AssessmentPage, code: str) -> None:
    row = column_values(page.table, COL_CODE).index(code)
    rect = page.table.visualRect(page.model.index(row, COL_CODE))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize(
    ("answer", "shown", "saved"),
    [("保存", "219001002", True), ("不保存", "219001002", False), ("取消", "219001001", False)],
)
def test_leaving_a_typed_assessment_asks_first(qtbot, page, db, monkeypatch, answer, shown, saved):
    answers = Answers().install(monkeypatch)
    _click_row(qtbot, page, "219001001")
    _fill(qtbot, page, conclusion_steps=1)  # 予以支持, typed but not saved
    answers.press(answer)
    _click_row(qtbot, page, "219001002")
    assert answers.texts == ["项目 219001001 的事前评估结果有未保存的修改，保存吗？"]
    assert page.selected().project_code == shown
    assert page.form.candidate.project_code == shown
    if answer == "取消":  # still the typed form of the first project
        assert page.form.assessor.text() == "县财政局评审组"
    project_id = next(r.project_id for r in page._rows if r.project_code == "219001001")
    assert (load_assessment(db, project_id) is not None) is saved


def test_moving_on_from_an_untouched_form_asks_nothing(qtbot, page, monkeypatch):
    answers = Answers().install(monkeypatch)
    _click_row(qtbot, page, "219001001")
    _click_row(qtbot, page, "219001002")
    assert answers.asked == []
    assert page.form.candidate.project_code == "219001002"
