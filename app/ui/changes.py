"""The GUI end of change announcements: one Qt signal on the GUI thread.

The Database calls its subscribers on whichever thread committed (services run on the
worker thread too), so the relay re-emits through a queued connection and gathers the
announcements of one turn of the event loop into one `data_changed(kinds)`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.storage.database import Database


class ChangeRelay(QObject):
    data_changed = Signal(object)  # frozenset[str]: kinds of app/storage/kinds.py
    _announced = Signal(object)  # emitted on the committing thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[str] = set()
        self._unsubscribe: Callable[[], None] | None = None
        self._announced.connect(self._on_announced, Qt.ConnectionType.QueuedConnection)

    def watch(self, db: Database) -> None:
        """Relay `db`'s announcements (and stop relaying the previous database's)."""
        self.stop()
        self._unsubscribe = db.subscribe(self._announced.emit)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_announced(self, kinds: frozenset[str]) -> None:
        if not self._pending:
            QTimer.singleShot(0, self, self._flush)
        self._pending |= kinds

    def _flush(self) -> None:
        kinds, self._pending = frozenset(self._pending), set()
        if kinds:
            self.data_changed.emit(kinds)
