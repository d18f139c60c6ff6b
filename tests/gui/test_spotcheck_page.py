"""抽查复核 page: draw a reproducible sample per 股室, review one project, see 自评不实."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QWidget

from app.services.spotcheck import review_list
from app.ui.spotcheck import page as spot_page
from app.ui.spotcheck.models import COL_SAMPLE_STATUS
from app.ui.spotcheck.review_model import C_DEDUCTION, C_NAME, C_NOTE, C_SCORE, C_VALUE
from tests.gui.evg_data import YEAR, evaluated_county, open_window, show_page
from tests.gui.helpers import Answers, column_values, type_chinese


@pytest.fixture
def page(qtbot, db):
    evaluated_county(db)
    window = open_window(qtbot, db)
    page = show_page(window, "抽查复核")
    qtbot.waitUntil(lambda: not page._stale)
    yield page


def draw_with_seed(qtbot, page, seed: str) -> None:
    page.form.seed.clear()
    qtbot.keyClicks(page.form.seed, seed)
    qtbot.mouseClick(page.form.draw_button, Qt.MouseButton.LeftButton)


def sampled_codes(page) -> list[str]:
    return [r.project_code for r in page.sample_model.all_rows()]


def test_the_rule_set_fills_the_form(page):
    assert page.form.ratio.value() == 20
    assert not page.form.amount_check.isChecked()
    assert page.record_label.text() == spot_page.NO_SAMPLE_TEXT


def test_a_seeded_draw_takes_a_fifth_of_each_section_rounded_up(qtbot, page, db, rules):
    draw_with_seed(qtbot, page, "12345")
    lines = page.section_model.all_rows()
    assert sorted(line.section for line in lines) == sorted(["教科文股", "农业农村股", "合计"])
    assert lines[-1].section == "合计"
    for line in lines[:2]:
        assert line.population == 12
        assert line.drawn == line.quota == math.ceil(12 * 0.2) == 3
    assert lines[2].drawn == 6
    record = page.record_label.text()
    assert "随机种子 <b>12345</b>" in record and "共抽取 6 份 / 自评 24 份" in record
    assert set(column_values(page.sample_table, COL_SAMPLE_STATUS)) == {"未复核"}
    assert sampled_codes(page) == [r.project_code for r in review_list(db, YEAR, rules).rows]
    page.section_table.selectRow(1)
    assert page.sample_model.rowCount() == 3
    assert {r.section for r in page.sample_model.visible_rows()} == {lines[1].section}
    page.section_table.selectRow(2)  # 合计: every section
    assert page.sample_model.rowCount() == 6


def test_the_same_seed_draws_the_same_sample_after_confirming(qtbot, page, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(spot_page, "confirm", lambda _p, _t, text: asked.append(text) or True)
    draw_with_seed(qtbot, page, "777")
    first = sampled_codes(page)
    draw_with_seed(qtbot, page, "1")
    assert len(asked) == 1 and "替换原样本" in asked[0]
    draw_with_seed(qtbot, page, "777")
    assert sampled_codes(page) == first


def test_declining_the_replacement_keeps_the_sample(qtbot, page, monkeypatch):
    draw_with_seed(qtbot, page, "777")
    first = sampled_codes(page)
    monkeypatch.setattr(spot_page, "confirm", lambda *_args: False)
    draw_with_seed(qtbot, page, "1")
    assert sampled_codes(page) == first and "随机种子 <b>777</b>" in page.record_label.text()


def test_the_random_button_fills_a_seed_that_is_recorded(qtbot, page):
    qtbot.mouseClick(page.form.random_button, Qt.MouseButton.LeftButton)
    seed = page.form.seed.text()
    assert seed.isdigit()
    qtbot.mouseClick(page.form.draw_button, Qt.MouseButton.LeftButton)
    assert f"随机种子 <b>{seed}</b>" in page.record_label.text()


def _edit_cell(qtbot, table, row: int, column: int):
    """Go to the cell and press F2, as a user would; return the editor widget."""
    qtbot.waitExposed(table.window())
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    QTest.keyClick(table, Qt.Key.Key_F2)
    editors = [
        w for w in table.viewport().findChildren(QWidget)
        if isinstance(w, QLineEdit | QComboBox) and w.isVisible()
    ]  # fmt: skip
    assert len(editors) == 1, editors
    return editors[0]


def _press_return(qtbot, table, editor) -> None:
    """Enter commits the cell (the delegate does it queued, so wait for it)."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def _choose(qtbot, table, combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))
    combo.activated.emit(combo.currentIndex())  # what clicking the item in the list does
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def test_a_review_with_a_deduction_flags_the_self_evaluation(qtbot, page, shown_messages):
    draw_with_seed(qtbot, page, "12345")
    view = page.sample_table
    rect = view.visualRect(view.model().index(0, 2))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.review_dialog
    assert dialog is not None and dialog.isVisible()
    assert "状态：未开始" in dialog.banner.text()
    names = [dialog.model.index(r, C_NAME).data() for r in range(dialog.model.rowCount())]

    # 复核完成值 300 of 1200 people: 20 points → 5; a deduction needs its reason (其他 + 备注).
    people = names.index("补助学生人数")
    _choose(qtbot, dialog.table, _edit_cell(qtbot, dialog.table, people, C_DEDUCTION), "其他")
    editor = _edit_cell(qtbot, dialog.table, people, C_VALUE)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "300")
    _press_return(qtbot, dialog.table, editor)
    editor = _edit_cell(qtbot, dialog.table, people, C_SCORE)
    qtbot.keyClicks(editor, "5")
    _press_return(qtbot, dialog.table, editor)
    editor = _edit_cell(qtbot, dialog.table, people, C_NOTE)
    type_chinese(editor, "发放名册仅300人")
    _press_return(qtbot, dialog.table, editor)
    # No evidence for 受助学生满意度: 10 points → 0.
    combo = _edit_cell(qtbot, dialog.table, names.index("受助学生满意度"), C_DEDUCTION)
    assert isinstance(combo, QComboBox)
    _choose(qtbot, dialog.table, combo, "无佐证材料")
    type_chinese(dialog.opinion, "满意度无调查问卷，补助人数与发放名册不符。")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert shown_messages.texts == []
    outcome = dialog.outcome
    assert outcome is not None and outcome.inflated
    assert outcome.self_total - outcome.total >= 10
    assert dialog.banner.text().startswith("自评不实：自评 100.00 分（优）")
    assert "#c62828" in dialog.banner.styleSheet()  # the red banner
    row = names.index("受助学生满意度")
    assert dialog.model.index(row, C_DEDUCTION).data() == "无佐证材料"
    assert dialog.model.index(row, C_SCORE).data() == "0.00"
    assert dialog.model.index(people, C_VALUE).data() == "300"
    assert dialog.model.index(people, C_SCORE).data() == "5.00"  # 300/1200 × 20

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert page.review_dialog is None
    assert column_values(view, COL_SAMPLE_STATUS).count("自评不实") == 1
    assert page.section_model.all_rows()[-1].inflated == 1


def test_an_other_deduction_without_a_note_is_refused(qtbot, page, shown_messages, monkeypatch):
    answers = Answers().install(monkeypatch)
    draw_with_seed(qtbot, page, "12345")
    dialog = page.open_review(page.sample_model.row_at(0).sample_id)
    combo = _edit_cell(qtbot, dialog.table, 0, C_DEDUCTION)
    _choose(qtbot, dialog.table, combo, "其他")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is None
    assert "须在备注中写明理由" in shown_messages.texts[0]
    answers.press("不保存")  # the refused entry is still unsaved: closing asks
    dialog.close()
    assert answers.texts == ["复核底稿有未保存的修改，关闭前保存吗？"]
    assert not dialog.isVisible()


def test_a_typed_letter_is_not_taken_as_a_value(qtbot, page):
    draw_with_seed(qtbot, page, "12345")
    dialog = page.open_review(page.sample_model.row_at(0).sample_id)
    editor = _edit_cell(qtbot, dialog.table, 0, C_VALUE)
    qtbot.keyClicks(editor, "abc")
    _press_return(qtbot, dialog.table, editor)
    assert "复核完成值“abc”不是数字" in dialog.message.text()
    assert dialog.model.index(0, C_VALUE).data() == ""
    dialog.close()


def test_models_pass_the_model_tester(qtbot, qtmodeltester, page):
    draw_with_seed(qtbot, page, "12345")
    qtmodeltester.check(page.section_model)
    qtmodeltester.check(page.sample_model)
    dialog = page.open_review(page.sample_model.row_at(0).sample_id)
    qtmodeltester.check(dialog.model)
    dialog.close()
