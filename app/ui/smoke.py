"""The Qt half of the smoke test (app/smoke.py): show the main window, prove it appeared."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop
from PySide6.QtWidgets import QApplication

from app.storage.database import Database
from app.ui.application import ensure_application
from app.ui.main_window import MainWindow

EXPOSE_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class WindowCheck:
    title: str
    shown: bool  # visible and exposed by the window system (offscreen counts)
    seconds: float  # from creating the window until it was shown
    shown_at: float  # time.perf_counter() when it was shown
    screenshot: str | None


def show_main_window(db: Database, screenshot: Path | None = None) -> WindowCheck:
    """Open the main window on `db` as a user start would, wait until shown, close it."""
    app = ensure_application()
    started = time.perf_counter()
    window = MainWindow(db)
    window.show()
    shown = _wait_until_exposed(app, window)
    shown_at = time.perf_counter()
    app.processEvents()  # let deferred work (the status-bar counts) run before the picture
    saved = None
    if screenshot is not None and window.grab().save(str(screenshot)):
        saved = str(screenshot)
    title = window.windowTitle()
    window.close()
    window.deleteLater()
    app.processEvents()
    return WindowCheck(title, shown, shown_at - started, shown_at, saved)


def _wait_until_exposed(app: QApplication, window: MainWindow) -> bool:
    deadline = QDeadlineTimer(EXPOSE_TIMEOUT_MS)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        handle = window.windowHandle()
        if window.isVisible() and handle is not None and handle.isExposed():
            return True
    return False
