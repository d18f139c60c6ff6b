"""The GUI end of change announcements: one Qt signal on the GUI thread.

The Database calls its subscribers on whichever thread committed (services run on the
worker thread too), so the relay re-emits through a queued connection and gathers the
announcements of one turn of the event loop into one `data_changed(kinds)`.

Other seats on the same database are heard by polling the change feed every
POLL_SECONDS (services/common/change_feed.py): one indexed query on the GUI thread,
which announces what it finds through the Database like any commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:  # the relay is part of the window's frame, built before the database layer
    from app.services.common.change_feed import ChangeFeed
    from app.storage.database import Database

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0


class ChangeRelay(QObject):
    data_changed = Signal(object)  # frozenset[str]: kinds of app/storage/kinds.py
    _announced = Signal(object)  # emitted on the committing thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._feed: ChangeFeed | None = None
        self._feed_failing = False
        self._relaying = False
        self.poll_timer = QTimer(self)
        self._poll_ms = 0
        self.poll_timer.timeout.connect(self.poll)

    def watch(self, db: Database) -> None:
        """Relay `db`'s announcements, this seat's and other seats' (and stop relaying the
        previous database's)."""
        from PySide6.QtCore import Qt  # loading Qt's namespace costs the first paint 15 ms

        from app.services.common.change_feed import POLL_SECONDS, ChangeFeed

        if not self._relaying:
            self._announced.connect(self._on_announced, Qt.ConnectionType.QueuedConnection)
            self._relaying = True
        self.stop()
        self._unsubscribe = db.subscribe(self._announced.emit)
        self._feed = ChangeFeed(db)
        self._poll_ms = int(POLL_SECONDS * 1000)
        self.poll_timer.setInterval(self._poll_ms)
        self.poll_timer.start()

    def stop(self) -> None:
        self.poll_timer.stop()
        self._feed = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def poll(self) -> None:
        """Hear other seats now. A server out of reach is logged once and tried every
        RETRY_SECONDS: each try may wait for the connect timeout on the GUI thread."""
        if self._feed is None:
            return
        try:
            self._feed.poll()
        except Exception:  # the driver's errors: this layer does not import SQLAlchemy
            if not self._feed_failing:
                log.exception("读取其他席位的修改失败，稍后重试")
            self._feed_failing = True
            self.poll_timer.setInterval(int(RETRY_SECONDS * 1000))
        else:
            self._feed_failing = False
            self.poll_timer.setInterval(self._poll_ms)

    def _on_announced(self, kinds: frozenset[str]) -> None:
        if not self._pending:
            QTimer.singleShot(0, self, self._flush)
        self._pending |= kinds

    def _flush(self) -> None:
        kinds, self._pending = frozenset(self._pending), set()
        if kinds:
            self.data_changed.emit(kinds)
