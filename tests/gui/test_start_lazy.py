"""The main window paints after building one page; the rest wait until first shown, and the
day's backup waits until the window has painted (yet runs before any input is handled)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel

from app.services.common.backups import list_backups
from app.storage.database import open_database
from app.storage.kinds import PROJECT
from app.ui import first_open
from app.ui.goals.page import GoalsPage
from app.ui.main_window import MainWindow
from app.ui.pages import PageEntry, page_entries
from app.ui.setup import operator_prompt
from tests.gui.conftest import fill_county


def test_only_the_first_page_is_built_before_the_window_is_shown(qtbot, db, county, monkeypatch):
    built: list[str] = []
    real = PageEntry.factory

    def recorded(entry: PageEntry, database: object) -> object:
        built.append(entry.name)
        return real(entry, database)  # type: ignore[arg-type]

    monkeypatch.setattr(PageEntry, "factory", recorded)
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert built == ["绩效目标"]
    assert [p.__class__ for p in window.cycle_pages] == [GoalsPage]
    others = [window.pages.widget(i) for i in range(1, window.pages.count())]
    assert all(isinstance(w, QLabel) for w in others)  # light placeholders
    window.show()
    qtbot.waitExposed(window)
    assert built == ["绩效目标"]
    assert window.goals_page.model.rowCount() == len(county.codes[2025])


def test_a_page_is_built_when_first_shown_with_the_year_on_screen(qtbot, main_window):
    main_window.year_combo.setCurrentIndex(main_window.year_combo.findData(2024))
    main_window.data_changed.emit(frozenset({PROJECT}))  # no page but the first to tell
    assert not main_window.page_widgets.is_built("整改")
    names = [main_window.navigation.item(i).text() for i in range(main_window.navigation.count())]
    main_window.navigation.setCurrentRow(names.index("整改"))
    page = main_window.pages.currentWidget()
    assert page is main_window.page_widgets["整改"] and page.isVisible()
    assert page.year == 2024
    assert main_window.page_widgets.is_built("整改")
    assert main_window.pages.count() == len(page_entries())  # the placeholder was replaced
    main_window.data_changed.emit(frozenset({PROJECT}))  # a built page hears of changes
    assert page in main_window.cycle_pages


def test_the_days_backup_is_made_once_the_window_has_painted(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "县.sqlite3"
    seeded = open_database(path)
    fill_county(seeded, {2025: 3})
    seeded.close()
    monkeypatch.setattr(operator_prompt, "_ask", lambda *_args: None)
    window = first_open.start(path)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    today = datetime.now().date()
    daily = lambda: [b for b in list_backups(path) if b.created_at.date() == today]  # noqa: E731
    assert daily() == [] and not window.settled  # nothing copied before the first paint
    qtbot.waitUntil(lambda: window.settled)
    assert len(daily()) == 1
    window.close()
