"""Slow page reads run in the background: progress and 取消 in the page, the page usable
meanwhile, the newest load wins, switching pages or closing the window mid-load is fine.

The 绩效监控 round's read is held on a gate (threading.Event) so each test sees the page
while it loads, as a clerk would on a five-year database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

import app.ui.monitoring.page as monitoring_page
from app.domain.errors import UserError
from app.domain.progress import Progress
from app.ui.main_window import MainWindow
from app.ui.widgets.background import BackgroundLoader, LoadBar
from tests.gui.monitoring_helpers import loaded, show_page

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db


class Gate:
    """Once `hold()` is called, holds every round read until opened; counts the reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.event.set()
        self.started = 0
        original = monitoring_page.round_rows

        def held(*args: object, **kwargs: object) -> object:
            self.started += 1
            assert self.event.wait(30), "the test never opened the gate"
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(monitoring_page, "round_rows", held)

    def hold(self) -> None:
        self.event.clear()
        self.started = 0

    def open(self) -> None:
        self.event.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate(monkeypatch)
    yield held
    held.open()  # never leave a worker waiting


def _rows(page: QWidget) -> int:
    return page.list_view.model.rowCount()  # type: ignore[attr-defined]


def test_the_page_shows_progress_then_the_rows(qtbot, june_db, rules, gate):
    page = show_page(qtbot, june_db, rules)
    gate.hold()
    page._rows.clear()  # e.g. another window saved an entry of this round
    page.refresh()
    qtbot.waitUntil(lambda: gate.started == 1)
    assert page.load_bar.isVisible()
    assert "6 月" in page.load_bar.label.text()
    assert page.load_bar.cancel_button.isVisible() and page.load_bar.cancel_button.isEnabled()
    assert _rows(page) == 4  # what was on screen stays until the new rows replace it
    page.list_view.search.setText("219")  # the page stays usable while it reads
    assert _rows(page) == 2
    gate.open()
    loaded(qtbot, page)
    assert not page.load_bar.isVisible()
    assert _rows(page) == 2 and page.list_view.search.text() == "219"


def test_cancel_leaves_the_page_usable_and_a_new_choice_loads_again(qtbot, june_db, rules, gate):
    page = show_page(qtbot, june_db, rules)
    gate.hold()
    page._rows.clear()
    page._shown = None
    page.refresh()
    qtbot.waitUntil(lambda: gate.started == 1)
    qtbot.mouseClick(page.load_bar.cancel_button, Qt.MouseButton.LeftButton)
    assert not page.load_bar.isVisible() and not page.loader.busy
    assert _rows(page) == 0
    assert page.open_button.isEnabled()  # the page answers: 开启新一轮… still works
    gate.open()
    qtbot.wait(50)  # the cancelled read ends and is dropped
    assert _rows(page) == 0
    page.refresh()  # choosing the round again reads it
    loaded(qtbot, page)
    assert _rows(page) == 4


def test_a_newer_load_supersedes_an_older_one(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    bar = LoadBar(page)
    loader = BackgroundLoader(page, bar)
    first_may_end = threading.Event()
    shown: list[str] = []

    def slow(progress: Progress) -> str:
        first_may_end.wait(10)
        progress.step(1, 1)  # sees the cancel flag set by the newer load
        return "old"

    loader.start(slow, shown.append, label="旧的")
    loader.start(lambda _p: "new", shown.append, label="新的")
    qtbot.waitUntil(lambda: shown == ["new"])
    first_may_end.set()
    qtbot.wait(50)
    assert shown == ["new"] and not loader.busy and not bar.isVisible()


def test_a_cancelled_load_calls_failed_and_never_done(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    loader = BackgroundLoader(page, LoadBar(page))
    release = threading.Event()
    outcome: list[str] = []

    def stepping(progress: Progress) -> str:
        release.wait(10)
        progress.step(1, 2)
        return "rows"

    loader.start(
        stepping,
        lambda r: outcome.append(r),
        label="读取",
        failed=lambda e: outcome.append(type(e).__name__),
    )
    loader.cancel()
    release.set()
    loader.stop()  # waits for the thread, which raised Cancelled at its step
    qtbot.wait(20)
    assert outcome == ["Cancelled"]


def test_switching_pages_mid_load_then_back_shows_the_rows(qtbot, june_db, gate):
    gate.hold()
    window = MainWindow(june_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    names = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    window.navigation.setCurrentRow(names.index("绩效监控"))
    page = window.page_widgets["绩效监控"]
    qtbot.waitUntil(lambda: gate.started == 1)
    window.navigation.setCurrentRow(names.index("绩效目标"))
    assert window.pages.currentWidget() is window.goals_page
    gate.open()
    qtbot.waitUntil(lambda: not page.loader.busy)
    window.navigation.setCurrentRow(names.index("绩效监控"))
    loaded(qtbot, page)
    assert _rows(page) == 4


def test_closing_the_window_while_a_page_loads_waits_for_the_read(qtbot, june_db, gate):
    gate.hold()
    window = MainWindow(june_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    names = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    window.navigation.setCurrentRow(names.index("绩效监控"))
    page = window.page_widgets["绩效监控"]
    qtbot.waitUntil(lambda: gate.started == 1)
    threading.Timer(0.3, gate.open).start()  # the read ends on its own a moment later
    assert window.close()
    assert not page.loader.busy  # stopped and waited: nothing reads a closed database
    qtbot.wait(50)  # the dropped result's queued signal arrives: nothing happens
    assert _rows(page) == 0


def test_a_failed_load_is_shown_and_the_page_stays_as_it_was(qtbot, shown_messages):
    page = QWidget()
    qtbot.addWidget(page)
    bar = LoadBar(page)
    loader = BackgroundLoader(page, bar)
    outcome: list[str] = []

    def broken(_progress: Progress) -> str:
        raise UserError("规则集文件有误：第 3 行。")

    loader.start(
        broken, outcome.append, label="读取", failed=lambda e: outcome.append(type(e).__name__)
    )
    qtbot.waitUntil(lambda: outcome == ["UserError"])
    assert shown_messages.texts == ["规则集文件有误：第 3 行。"]
    assert not bar.isVisible()


def test_switching_the_database_while_a_page_loads_waits_for_the_read(
    qtbot, june_db, gate, tmp_path
):
    from app.storage.database import open_database
    from app.ui.opening import OpenedFile

    gate.hold()
    window = MainWindow(june_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    names = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    window.navigation.setCurrentRow(names.index("绩效监控"))
    page = window.page_widgets["绩效监控"]
    qtbot.waitUntil(lambda: gate.started == 1)
    threading.Timer(0.3, gate.open).start()
    window.switch_to(OpenedFile(open_database(tmp_path / "另一个.sqlite3")))
    assert not page.loader.busy  # the read of the old file ended before it was closed
    loaded(qtbot, page)
    assert _rows(page) == 0 and page.round_combo.count() == 0  # the new, empty file
    window.close()
