"""Another seat's saves reach the open pages of this one through the change feed."""

from __future__ import annotations

from app.services.common.catalog import project_rows
from app.services.common.change_feed import POLL_SECONDS, ChangeFeed
from app.services.common.recycle_bin import delete_project
from app.storage.database import open_database
from app.ui.changes import RETRY_SECONDS
from app.ui.goals.project_table import COL_CODE
from tests.gui.helpers import column_values

YEAR = 2025


def test_seat_b_page_reloads_after_seat_a_saves(qtbot, main_window, db, county):
    """Seat B is the window; seat A another Database on the same file (another PC)."""
    page = main_window.goals_page
    main_window.navigation.setCurrentRow(0)
    gone = county.codes[YEAR][0]
    assert gone in column_values(page.table, COL_CODE)
    seat_a = open_database(db.target)
    try:
        project_id = next(r.id for r in project_rows(seat_a, YEAR) if r.code == gone)
        delete_project(seat_a, project_id)
    finally:
        seat_a.close()
    assert gone in column_values(page.table, COL_CODE)  # not before B polls
    assert main_window.changes.poll_timer.isActive()
    with qtbot.waitSignal(main_window.data_changed, timeout=5000) as heard:
        pass  # the 2-second timer polls
    assert "project" in heard.args[0]
    qtbot.waitUntil(lambda: gone not in column_values(page.table, COL_CODE), timeout=3000)


def test_polling_stops_when_the_window_closes(qtbot, main_window):
    main_window.close()
    assert not main_window.changes.poll_timer.isActive()


def test_a_server_out_of_reach_is_retried_slowly_and_logged_once(
    qtbot, main_window, monkeypatch, caplog
):
    relay = main_window.changes
    failures = [OSError("server gone"), OSError("still gone")]

    def poll(_feed):
        if failures:
            raise failures.pop(0)
        return frozenset()

    monkeypatch.setattr(ChangeFeed, "poll", poll)
    relay.poll()
    relay.poll()
    assert relay.poll_timer.interval() == RETRY_SECONDS * 1000
    assert [r.message for r in caplog.records].count("读取其他席位的修改失败，稍后重试") == 1
    relay.poll()  # back: every two seconds again
    assert relay.poll_timer.interval() == POLL_SECONDS * 1000
