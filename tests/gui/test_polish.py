"""Finishing touches: 删除项目 on the 绩效目标 page, the window icon, the year list after a
roll forward."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.domain.progress import Progress
from app.services.common.catalog import list_years, project_rows
from app.services.common.recycle_bin import delete_project, list_deleted, restore_item
from app.storage.database import open_database
from app.ui import application
from app.ui.assessment import page as assessment_module
from app.ui.goals import project_delete
from app.ui.goals.project_table import COL_CODE
from app.ui.main_window import MainWindow
from tests.gui.helpers import column_values

YEAR = 2025
DELETE = "删除项目…"


@pytest.fixture
def goals(main_window):
    main_window.navigation.setCurrentRow(0)
    return main_window.goals_page


class Questions(list):
    """The delete confirmations asked (title, text, details); `answers` queues replies
    (移到回收站 when empty)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool] = []


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    asked = Questions()

    def answer(_parent, title: str, text: str, ok_label: str, informative: str = "") -> bool:
        asked.append((title, text, informative))
        assert ok_label == "移到回收站"
        return asked.answers.pop(0) if asked.answers else True

    monkeypatch.setattr(project_delete, "confirm", answer)
    return asked


def _visible_codes(page) -> list[str]:
    return column_values(page.table, COL_CODE)


def test_delete_two_projects_then_restore_one(qtbot, goals, db, county, questions):
    first, second = county.codes[YEAR][0], county.codes[YEAR][1]
    goals.select_codes({first, second})
    announced: list[frozenset[str]] = []
    db.subscribe(announced.append)
    qtbot.mouseClick(goals.buttons[DELETE], Qt.MouseButton.LeftButton)

    ((title, text, details),) = questions
    assert title == "删除项目" and text == "把选中的 2 个项目移到回收站？"
    assert first in details and second in details and "设置 → 回收站" in details
    assert first not in _visible_codes(goals) and second not in _visible_codes(goals)
    assert goals.model.rowCount() == county.projects_per_year[YEAR] - 2
    # The data layer says what changed; the main window refreshes the pages showing it.
    assert set().union(*announced) == {"project", "goal"}
    binned = {item.code: item for item in list_deleted(db)}
    assert set(binned) == {first, second}
    assert {item.kind for item in binned.values()} == {"project"}

    restore_item(db, "project", binned[first].id)  # as 设置 → 回收站 does
    goals.reload()
    assert first in _visible_codes(goals) and second not in _visible_codes(goals)


def test_the_delete_key_asks_and_no_keeps_the_projects(qtbot, goals, db, county, questions):
    code = county.codes[YEAR][3]
    goals.select_codes({code})
    goals.table.setFocus()
    questions.answers.append(False)
    qtbot.keyClick(goals.table, Qt.Key.Key_Delete)
    assert len(questions) == 1 and "1 个项目" in questions[0][1]
    assert code in _visible_codes(goals) and list_deleted(db) == []

    qtbot.keyClick(goals.table, Qt.Key.Key_Delete)
    assert code not in _visible_codes(goals)
    assert [item.code for item in list_deleted(db)] == [code]


def test_the_question_names_the_first_few_and_counts_the_rest(goals, county, questions):
    codes = county.codes[YEAR][:7]
    goals.select_codes(set(codes))
    goals.delete_selected_projects()
    (_title, text, details) = questions[0]
    assert text == "把选中的 7 个项目移到回收站？"
    named = [c for c in codes if c in details]
    assert len(named) == project_delete.NAMED_IN_QUESTION
    assert "……等共 7 个项目" in details
    assert "已审核通过" in details  # the county has 已通过 goals among the first seven


def test_a_project_deleted_elsewhere_is_reported_and_the_others_move(
    goals, db, county, questions, shown_messages
):
    first, second = county.codes[YEAR][0], county.codes[YEAR][1]
    goals.select_codes({first, second})
    gone = next(r.id for r in goals.selected_rows() if r.code == first)
    delete_project(db, gone)  # another window, meanwhile
    goals.delete_selected_projects()
    assert f"项目 {first}：该项目不存在或已在回收站中" in shown_messages.texts[-1]
    assert {item.code for item in list_deleted(db)} == {first, second}
    assert first not in _visible_codes(goals) and second not in _visible_codes(goals)


def test_cancelling_keeps_what_was_moved_and_says_so(
    goals, db, county, questions, shown_messages, monkeypatch
):
    def cancel_after_one(_parent, _title, fn, label=""):
        calls = iter([False, True])  # the first project moves, then 取消
        return fn(Progress(is_cancelled=lambda: next(calls)))

    monkeypatch.setattr(project_delete, "run_task", cancel_after_one)
    codes = county.codes[YEAR][:3]
    goals.select_codes(set(codes))
    goals.delete_selected_projects()
    assert len(list_deleted(db)) == 1
    assert shown_messages.texts[-1] == "已取消：1 个项目已移到回收站，其余 2 个未删除。"
    assert goals.model.rowCount() == county.projects_per_year[YEAR] - 1


def test_nothing_selected_says_so(goals, shown_messages, questions):
    goals.table.clearSelection()
    goals.delete_selected_projects()
    assert questions == []
    assert "请先在列表中选择要删除的项目" in shown_messages.texts[-1]


def test_read_only_database_disables_delete(qtbot, db, county, shown_messages, questions):
    reader = open_database(db.target, read_only=True)
    window = MainWindow(reader)
    qtbot.addWidget(window)
    try:
        page = window.goals_page
        assert not page.buttons[DELETE].isEnabled()
        page.select_codes({county.codes[YEAR][0]})
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
        assert questions == [] and "只读" in shown_messages.texts[-1]
        assert len(project_rows(db, YEAR)) == county.projects_per_year[YEAR]
    finally:
        window.close()
        reader.close()


def test_delete_is_enabled_on_a_writable_database(goals):
    assert goals.buttons[DELETE].isEnabled()


# -- window icon and desktop identity ------------------------------------------------------
def test_application_has_the_window_icon_and_desktop_name(qapp):
    app = application.ensure_application()
    assert not QApplication.windowIcon().isNull()
    assert app.windowIcon().availableSizes()  # the PNG was read, not just a name
    assert QGuiApplication.desktopFileName() == "jixiao"


def test_the_desktop_file_names_the_same_icon_and_class():
    desktop = application.paths.resources_dir().parent / "packaging/linux/jixiao.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f"Icon={application.DESKTOP_FILE_NAME}\n" in text
    assert f"StartupWMClass={application.DESKTOP_FILE_NAME}\n" in text


# -- the year list after a roll forward ----------------------------------------------------
def test_roll_forward_adds_the_new_year_to_the_selector(qtbot, main_window, db, monkeypatch):
    assert main_window.year == YEAR
    monkeypatch.setattr(assessment_module, "confirm", lambda *args: True)
    page = main_window.page_widgets["事前评估"]
    main_window.navigation.setCurrentRow(main_window.pages.indexOf(page))
    with qtbot.waitSignal(main_window.data_changed):
        qtbot.mouseClick(page.rollover_button, Qt.MouseButton.LeftButton)

    combo = main_window.year_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [2024, YEAR, YEAR + 1]
    assert list_years(db) == [2024, YEAR, YEAR + 1]
    assert main_window.year == YEAR and combo.currentText() == f"{YEAR} 年"
    combo.setCurrentIndex(2)  # and the new year can be chosen
    assert main_window.goals_page.year == YEAR + 1
