"""设置 → 规则集 → 编辑规则…: a year's rules edited in a form, like a user does it.

Typed values are saved for that year only; wrong values are listed with their field and the
field is marked; 关闭, Esc and X with unsaved changes ask 保存 / 不保存 / 取消.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from app.services.common.year_rules import rules_for_year, rules_text_for_year
from app.ui.settings import rules_tab
from app.ui.settings.rules_editor import MARKED, RulesEditorDialog
from app.ui.settings.rules_tab import RulesTab
from app.ui.widgets import choice
from tests import factories
from tests.gui.helpers import type_chinese


class Answers:
    """Answers 保存 / 不保存 / 取消 questions with the keys given, in order."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.asked: list[str] = []

    def present(self, box: QMessageBox) -> str:
        self.asked.append(box.text())
        assert self.keys, f"unexpected question: {box.text()}"
        return self.keys.pop(0)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    recorder = Answers()
    monkeypatch.setattr(choice, "_present", recorder.present)
    return recorder


@pytest.fixture
def two_years(db):
    with db.transaction() as s:
        factories.year(s, 2024)
        factories.year(s, 2025)
    return db


@pytest.fixture
def dialog(qtbot, two_years):
    editor = RulesEditorDialog(two_years, 2025)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_into(dialog: RulesEditorDialog, key: str, text: str) -> None:
    edit = dialog.editors[key]
    edit.setFocus()
    edit.selectAll()  # type: ignore[union-attr]
    if text.isascii():
        QTest.keyClicks(edit, text)
    else:
        type_chinese(edit, text)


def test_saved_values_become_the_years_rules_and_no_other_years(dialog, two_years):
    type_into(dialog, "monitoring.months", "3,6,9,12")
    type_into(dialog, "sampling.ratio", "0.3")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.saved
    rules = rules_for_year(two_years, 2025)
    assert rules.monitoring.months == (3, 6, 9, 12)
    assert str(rules.sampling.ratio) == "0.3"
    assert rules_for_year(two_years, 2024).monitoring.months == (3, 6, 9, 10, 11, 12)


def test_wrong_values_are_listed_marked_and_nothing_is_saved(dialog, two_years, answers):
    type_into(dialog, "sampling.ratio", "两成")
    type_into(dialog, "monitoring.budget_ratio_red", "0.9")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    shown = dialog.problem_label.text()
    assert "抽查复核 · 抽查比例（sampling.ratio）：应为数字，实际为“两成”" in shown
    assert "红灯界限不应高于黄灯界限" in shown  # both listed at once
    assert dialog.editors["sampling.ratio"].styleSheet() == MARKED
    assert dialog.editors["monitoring.budget_ratio_red"].styleSheet() == MARKED
    assert dialog.editors["grades.优"].styleSheet() == ""
    assert not rules_text_for_year(two_years, 2025).own  # nothing written
    type_into(dialog, "sampling.ratio", "0.2")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # the red lamp line is still above the yellow one
    assert "资金红灯界限（monitoring.budget_ratio_red）：红灯界限不应高于黄灯界限" in (
        dialog.problem_label.text()
    )
    assert dialog.editors["sampling.ratio"].styleSheet() == ""
    answers.keys = ["discard"]
    dialog.reject()


def test_unchanged_the_dialog_closes_at_once(dialog, answers):
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and answers.asked == []


@pytest.mark.parametrize("how", ["关闭", "Esc", "X"])
def test_every_close_path_asks_and_cancel_keeps_the_typing(dialog, answers, how, two_years):
    type_into(dialog, "grades.优", "85")

    def leave() -> None:
        if how == "关闭":
            QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        elif how == "Esc":
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.close()

    answers.keys = ["cancel"]
    leave()
    assert dialog.isVisible() and dialog.editors["grades.优"].text() == "85"
    assert answers.asked == ["2025 年度规则集有未保存的修改，关闭前保存吗？"]
    answers.keys = ["discard"]
    leave()
    assert not dialog.isVisible()
    assert not rules_text_for_year(two_years, 2025).own


def test_save_from_the_question_saves_then_closes(dialog, answers, two_years):
    type_into(dialog, "grades.优", "85")
    answers.keys = ["save"]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert rules_for_year(two_years, 2025).grade_floors[0][1] == 85


def test_save_from_the_question_with_a_wrong_value_stays_open(dialog, answers):
    type_into(dialog, "grades.优", "高")
    answers.keys = ["save"]
    dialog.close()
    assert dialog.isVisible() and "应为数字" in dialog.problem_label.text()
    answers.keys = ["discard"]
    dialog.reject()
    assert not dialog.isVisible()


def test_the_tab_opens_the_editor_on_its_year_and_shows_the_result(qtbot, two_years, monkeypatch):
    tab = RulesTab(two_years)
    qtbot.addWidget(tab)
    tab.set_year(2024)
    tab.reload()
    assert tab.year_combo.currentText() == "2024 年度"
    assert tab.fields["监控月份"].text() == "3 月、6 月、9 月、10 月、11 月、12 月"

    def edit(dialog: RulesEditorDialog) -> None:
        assert dialog.windowTitle() == "编辑 2024 年度规则集"
        dialog.set_value("sampling.min_per_section", "2")
        assert dialog.save_changes()

    monkeypatch.setattr(rules_tab, "open_editor", edit)
    QTest.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    assert tab.fields["抽查比例"].text().endswith("每个股室至少 2 个")
    assert "2024 年度自己的规则集" in tab.fields["来源"].text()
    tab.year_combo.setCurrentIndex(1)
    tab.year_combo.activated.emit(1)
    assert tab.fields["抽查比例"].text().endswith("每个股室至少 1 个")  # 2025 untouched
