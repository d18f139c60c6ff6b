"""The relay brings commits made on any thread to the GUI thread as one signal per turn."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QThread

from app.storage.database import Database
from app.storage.models import Department, FiscalYear
from app.ui.changes import ChangeRelay


def _commit_on_a_worker(db: Database) -> None:
    def work() -> None:
        with db.transaction() as s:
            s.add(FiscalYear(year=2030))
        with db.transaction() as s:
            s.add(Department(code="101001", name="县委办公室"))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()


def test_worker_commits_arrive_on_the_gui_thread_gathered(qtbot, db):
    relay = ChangeRelay()
    relay.watch(db)
    got: list[tuple[frozenset[str], bool]] = []
    gui = QCoreApplication.instance().thread()
    relay.data_changed.connect(lambda kinds: got.append((kinds, QThread.currentThread() is gui)))

    _commit_on_a_worker(db)
    assert got == []  # queued: nothing runs on the worker thread
    qtbot.waitUntil(lambda: got != [])
    qtbot.wait(20)
    assert got == [({"year", "department"}, True)]

    relay.stop()
    with db.transaction() as s:
        s.add(FiscalYear(year=2031))
    qtbot.wait(20)
    assert len(got) == 1
