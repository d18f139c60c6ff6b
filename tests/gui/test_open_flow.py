"""Opening a database in the GUI: lock held elsewhere, damaged file, newer version."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.errors import UserError
from app.services.common import backups
from app.services.common.backups import backup_before
from app.storage.database import open_database
from app.storage.lock import acquire_writer_lock, lock_path_for
from app.ui import application, first_open, opening
from app.ui.main_window import MainWindow
from app.ui.widgets import choice
from tests.gui.conftest import fill_county
from tests.integration.test_lock import HOLD, python


@dataclass
class Question:
    title: str
    text: str
    details: str
    buttons: list[str]


@dataclass
class Answers:
    """Answers the questions of app.ui.widgets.choice by button label, and records them."""

    queued: list[str] = field(default_factory=list)
    asked: list[Question] = field(default_factory=list)

    def press(self, *labels: str) -> None:
        self.queued.extend(labels)

    def present(self, box: QMessageBox) -> str:
        labels = [b.text() for b in box.buttons()]
        self.asked.append(Question(box.windowTitle(), box.text(), box.informativeText(), labels))
        assert self.queued, f"unexpected question: {box.text()} {labels}"
        return choice.key_of(box, self.queued.pop(0))


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    recorder = Answers()
    monkeypatch.setattr(choice, "_present", recorder.present)
    return recorder


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A closed county database (2025: 5 projects) with one backup of that state."""
    path = tmp_path / "示例县.sqlite3"
    db = open_database(path)
    fill_county(db, {2025: 5})
    backup_before(db, "import")
    db.close()
    return path


@pytest.fixture
def held(saved: Path) -> Iterator[int]:
    """Another process holding the writer lock of `saved`; yields its pid."""
    proc = python(HOLD, saved)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def started(qtbot, result: MainWindow | int) -> MainWindow:  # type: ignore[no-untyped-def]
    assert isinstance(result, MainWindow), result
    qtbot.addWidget(result)
    qtbot.waitUntil(lambda: result.settled)  # painted, then the day's backup and notices
    return result


def damage(path: Path) -> None:
    path.write_bytes(b"this is not a database at all" * 200)


# -- normal opening -------------------------------------------------------------------------
def test_the_window_holds_the_writer_lock_until_it_closes(qtbot, saved, answers):
    window = started(qtbot, first_open.start(saved))
    assert lock_path_for(saved).exists()
    assert not window.read_only_banner.isVisible() and "只读" not in window.windowTitle()
    window.close()
    assert not lock_path_for(saved).exists()
    acquire_writer_lock(saved).release()  # free for the next program
    assert answers.asked == []


def test_a_session_that_crashed_is_reported_on_the_next_start(qtbot, saved, shown_messages):
    proc = python(HOLD, saved)
    assert proc.stdout.readline().strip() == "locked"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    window = started(qtbot, first_open.start(saved))
    try:
        (title, text, _details) = shown_messages.shown[0]
        assert title == "上次未正常退出" and "上次未正常退出" in text
        assert getpass.getuser() in text
    finally:
        window.close()


def test_a_failed_daily_backup_is_shown_but_the_window_opens(
    qtbot, saved, shown_messages, monkeypatch
):
    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise UserError("无法在“backups”中创建备份：磁盘已满。")

    monkeypatch.setattr(backups, "ensure_daily_backup", full_disk)
    window = started(qtbot, first_open.start(saved))
    try:
        assert "今天的自动备份没有完成" in shown_messages.texts[0]
        assert "磁盘已满" in shown_messages.texts[0]
        assert window.goals_page.model.rowCount() == 5
    finally:
        window.close()


# -- locked by another process ----------------------------------------------------------------
def test_locked_elsewhere_names_the_holder_and_opens_read_only(
    qtbot, saved, held, answers, shown_messages
):
    answers.press("只读打开")
    window = started(qtbot, first_open.start(saved))
    try:
        (question,) = answers.asked
        assert question.buttons == ["只读打开", "退出"]
        assert "正在被另一处修改" in question.text
        assert getpass.getuser() in question.details and socket.gethostname() in question.details
        assert window.database.read_only
        assert window.windowTitle().endswith("（只读）")
        assert window.read_only_banner.isVisible()
        assert "只读" in window.read_only_banner.text()
        assert getpass.getuser() in window.read_only_banner.text()
        assert window.goals_page.model.rowCount() == 5  # looking works

        settings = window.page_widgets["设置"]
        window.navigation.setCurrentRow(window.pages.indexOf(settings))
        assert not settings.backups.restore_button.isEnabled()
        assert not settings.backups.save_policy_button.isEnabled()
        settings.show_tab("操作人员")
        assert not settings.operator.save_button.isEnabled()
        settings.operator.name_edit.setText("张三")
        settings.operator._on_save_button_clicked()  # a write that slipped through
        assert "只读" in shown_messages.texts[-1] and "不能保存" in shown_messages.texts[-1]
    finally:
        window.close()
    assert lock_path_for(saved).exists()  # the other process still holds its lock


def test_locked_elsewhere_and_quit_opens_nothing(saved, held, answers):
    answers.press("退出")
    assert first_open.start(saved) == application.EXIT_USER_ERROR


def test_the_real_lock_question_answers_from_its_buttons(qtbot, saved, held, real_questions):
    def press_read_only() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        (button,) = [b for b in box.buttons() if b.text() == "只读打开"]
        button.click()

    QTimer.singleShot(0, press_read_only)
    window = started(qtbot, first_open.start(saved))
    try:
        assert window.database.read_only
    finally:
        window.close()


# -- damaged file ---------------------------------------------------------------------------
def test_a_damaged_file_offers_the_newest_backup_and_shows_the_restored_data(
    qtbot, saved, answers, shown_messages
):
    damage(saved)
    answers.press("从备份恢复")
    window = started(qtbot, first_open.start(saved))
    try:
        (question,) = answers.asked
        assert question.buttons == ["从备份恢复", "打开其他文件…", "退出"]
        assert "不是本程序的数据库文件" in question.text
        assert "找到最近的完好备份" in question.details and "2025 年项目 5 个" in question.details
        assert shown_messages.shown[0][0] == "已从备份恢复"
        assert window.goals_page.model.rowCount() == 5
        assert not window.database.read_only
        kept = [b for b in backups.list_backups(saved) if b.reason == "damaged"]
        assert len(kept) == 1  # the damaged bytes were kept
    finally:
        window.close()


def test_a_damaged_file_without_backups_offers_another_file_or_quit(tmp_path, answers):
    path = tmp_path / "坏.sqlite3"
    damage(path)
    answers.press("退出")
    assert first_open.start(path) == application.EXIT_USER_ERROR
    assert answers.asked[0].buttons == ["打开其他文件…", "退出"]
    assert "没有找到可用的备份" in answers.asked[0].details


def test_a_damaged_file_can_be_swapped_for_another_file(
    qtbot, tmp_path, saved, answers, monkeypatch
):
    path = tmp_path / "坏.sqlite3"
    damage(path)
    monkeypatch.setattr(opening, "choose_database_file", lambda _parent, _folder: saved)
    answers.press("打开其他文件…")
    window = started(qtbot, first_open.start(path))
    try:
        assert window.database.path == saved.resolve()
        assert window.goals_page.model.rowCount() == 5
    finally:
        window.close()


# -- newer version ----------------------------------------------------------------------------
def test_a_database_from_a_newer_version_is_refused_naming_the_version(
    saved, answers, shown_messages
):
    with sqlite3.connect(saved) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    assert first_open.start(saved) == application.EXIT_USER_ERROR
    assert answers.asked == []  # no restore offered: the file is fine, the program is old
    (text,) = shown_messages.texts
    assert "更新版本的程序" in text and "9999_future" in text
    assert not lock_path_for(saved).exists()


# -- 文件 → 打开数据库 in a running window ---------------------------------------------------------
def test_opening_a_damaged_file_from_the_window_keeps_the_current_database(
    main_window, db, tmp_path, answers
):
    damaged = tmp_path / "坏的.sqlite3"
    damage(damaged)
    answers.press("取消")
    assert not main_window.open_database_file(damaged)
    assert answers.asked[0].buttons == ["打开其他文件…", "取消"]
    assert main_window.database is db
    assert main_window.goals_page.model.rowCount() == 18


def test_opening_a_locked_file_from_the_window_can_cancel(main_window, db, saved, held, answers):
    answers.press("取消")
    assert not main_window.open_database_file(saved)
    assert answers.asked[0].buttons == ["只读打开", "取消"]
    assert main_window.database is db


def test_switching_files_releases_the_previous_lock(qtbot, saved, tmp_path, answers):
    window = started(qtbot, first_open.start(saved))
    try:
        assert window.open_database_file(tmp_path / "另一个.sqlite3")
        assert not lock_path_for(saved).exists()
        assert lock_path_for(tmp_path / "另一个.sqlite3").exists()
        assert window.open_database_file(tmp_path / "另一个.sqlite3")  # already open: no-op
    finally:
        window.close()
    assert not lock_path_for(tmp_path / "另一个.sqlite3").exists()


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_a_lost_file_with_backups_offers_the_newest_backup_not_a_new_county(
    qtbot, saved, answers, shown_messages, state
):
    saved.unlink()
    if state == "empty":
        saved.write_bytes(b"")
    answers.press("从备份恢复")
    window = started(qtbot, first_open.start(saved))
    try:
        (question,) = answers.asked
        assert question.buttons == ["从备份恢复", "打开其他文件…", "退出"]
        assert "没有新建任何数据" in question.text
        assert "2025 年项目 5 个" in question.details
        assert window.goals_page.model.rowCount() == 5
    finally:
        window.close()


def test_a_lost_file_with_backups_and_quit_creates_nothing(saved, answers):
    saved.write_bytes(b"")
    answers.press("退出")
    assert first_open.start(saved) == application.EXIT_USER_ERROR
    assert saved.stat().st_size == 0
