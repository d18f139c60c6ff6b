"""报告 → 编辑本年度报告文字…: a section edited with its preview, saved for that year only;
last year's text offered by 从上一年度复制; every close path asks about unsaved changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.reports.wording import (
    save_wording,
    sections,
    shipped_wording,
    with_sections,
    wording_for_year,
)
from app.storage.models import Setting
from app.ui.reports.wording_editor import WordingEditorDialog
from tests import factories
from tests.gui.helpers import type_chinese
from tests.gui.test_rules_editor import Answers

INTRO = "report.intro"


@pytest.fixture
def answers(monkeypatch) -> Answers:
    from app.ui.widgets import choice

    recorder = Answers()
    monkeypatch.setattr(choice, "_present", recorder.present)
    return recorder


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s)  # 2025
        factories.year(s, 2026)
        s.add(Setting(key="county.name", value="示例县"))
    return db


def open_editor(qtbot, db, year, rules) -> WordingEditorDialog:
    dialog = WordingEditorDialog(db, year, rules)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def choose(dialog: WordingEditorDialog, key: str) -> None:
    row = next(
        i
        for i in range(dialog.section_list.count())
        if dialog.section_list.item(i).data(Qt.ItemDataRole.UserRole) == key
    )
    dialog.section_list.setCurrentRow(row)


def retype(dialog: WordingEditorDialog, text: str) -> None:
    dialog.editor.selectAll()
    type_chinese(dialog.editor, text)


def test_edit_preview_and_save(qtbot, county, rules):
    dialog = open_editor(qtbot, county, 2025, rules)
    assert dialog.section_list.count() == len(sections(shipped_wording()))
    assert "程序自带的报告文字" in dialog.origin_label.text()
    choose(dialog, INTRO)
    retype(dialog, "本年共有项目")
    QTest.keyClicks(dialog.editor, "{project_count}")
    type_chinese(dialog.editor, "个。")
    assert dialog.preview_label.text() == "本年共有项目12个。"  # this year's figures
    (item,) = dialog.placeholder_list.findItems("{goal_coverage}", Qt.MatchFlag.MatchEndsWith)
    assert item.text() == "项目绩效目标批复覆盖率　{goal_coverage}"
    dialog.placeholder_list.itemDoubleClicked.emit(item)
    assert dialog.editor.toPlainText().endswith("个。{goal_coverage}")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.saved
    saved = {s.key: s.text for s in sections(wording_for_year(county, 2025).text)}
    assert saved[INTRO] == "本年共有项目{project_count}个。{goal_coverage}"
    assert not wording_for_year(county, 2026).own


def test_a_wrong_placeholder_shows_in_the_preview_and_is_refused(
    qtbot, county, rules, shown_messages, answers
):
    dialog = open_editor(qtbot, county, 2025, rules)
    choose(dialog, INTRO)
    retype(dialog, "共")
    QTest.keyClicks(dialog.editor, "{projects}")
    assert "占位符 {projects} 无法识别" in dialog.preview_label.text()
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.isVisible()
        and "“report.intro”中的占位符 {projects} 无法识别" in shown_messages.texts[-1]
    )
    assert not wording_for_year(county, 2025).own
    answers.keys = ["discard"]
    dialog.reject()


def test_last_years_text_is_offered_never_used(qtbot, county, rules):
    save_wording(county, 2025, with_sections(shipped_wording(), {INTRO: "去年的开头。"}))
    assert not wording_for_year(county, 2026).own
    dialog = open_editor(qtbot, county, 2026, rules)
    choose(dialog, INTRO)
    assert dialog.editor.toPlainText() != "去年的开头。"
    QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert dialog.editor.toPlainText() == "去年的开头。" and dialog.is_dirty()
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = {s.key: s.text for s in sections(wording_for_year(county, 2026).text)}
    assert saved[INTRO] == "去年的开头。"


def test_without_last_years_text_there_is_nothing_to_copy(qtbot, county, rules):
    dialog = open_editor(qtbot, county, 2025, rules)
    assert not dialog.copy_button.isEnabled()


@pytest.mark.parametrize("how", ["关闭", "Esc", "X"])
def test_every_close_path_asks(qtbot, county, rules, answers, how):
    dialog = open_editor(qtbot, county, 2025, rules)
    choose(dialog, INTRO)
    retype(dialog, "改过的开头。")

    def leave() -> None:
        if how == "关闭":
            QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        elif how == "Esc":
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.close()

    answers.keys = ["cancel"]
    leave()
    assert dialog.isVisible() and dialog.editor.toPlainText() == "改过的开头。"
    assert answers.asked == ["2025 年度报告文字有未保存的修改，关闭前保存吗？"]
    answers.keys = ["save"]
    leave()
    assert not dialog.isVisible()
    assert {s.key: s.text for s in sections(wording_for_year(county, 2025).text)}[
        INTRO
    ] == "改过的开头。"


def test_unchanged_closes_at_once_and_discard_keeps_nothing(qtbot, county, rules, answers):
    dialog = open_editor(qtbot, county, 2025, rules)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.asked == []
    dialog = open_editor(qtbot, county, 2025, rules)
    choose(dialog, INTRO)
    retype(dialog, "不要了")
    answers.keys = ["discard"]
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not wording_for_year(county, 2025).own


def test_the_reports_page_opens_the_editor_on_its_year(qtbot, county, monkeypatch):
    from app.ui.reports import page as reports_page
    from tests.gui.evg_data import open_window, show_page

    window = open_window(qtbot, county)
    page = show_page(window, "报告")
    page.set_year(2025)
    opened: list[str] = []
    monkeypatch.setattr(
        reports_page, "open_wording_editor", lambda d: opened.append(d.windowTitle())
    )
    QTest.mouseClick(page.templates_button, Qt.MouseButton.LeftButton)
    assert opened == ["2025 年度报告文字"]
    assert page.templates_button.text() == "编辑本年度报告文字…"
