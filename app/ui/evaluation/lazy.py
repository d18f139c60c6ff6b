"""What the evaluation, spot-check and results pages share: lazy loading, rules, tasks.

A page is marked stale when the database or year changes and loads the next time it is
shown (start-up stays fast: scoring a year takes seconds). A slow read goes through
`load_in_background` (progress and 取消 in the page's `load_bar`, the page usable
meanwhile); long actions go through run_task. Expected problems are shown with show_error;
a cancel leaves the page stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.domain.rules import RuleSet
from app.storage.database import Database
from app.ui.settings.active_rules import PageRules
from app.ui.widgets.background import BackgroundLoader, LoadBar
from app.ui.widgets.messages import show_error
from app.ui.widgets.tasks import run_task

T = TypeVar("T")


def run_guarded(parent: QWidget, title: str, fn: Callable[[Progress], T]) -> T | None:
    """run_task, showing a UserError; None when it failed or was cancelled."""
    try:
        return run_task(parent, title, fn)
    except Cancelled:
        return None
    except UserError as exc:
        show_error(parent, exc)
        return None


class LazyPage(QWidget):
    """Subclasses implement `load()` (read the year's data and show it) and `clear()`."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._year: int | None = None
        self._stale = True
        self._seen = -1  # the database's change_count when what is shown was read
        self._rules = PageRules()
        self.load_bar = LoadBar(self)  # pages that load in the background lay it out
        self.loader = BackgroundLoader(self, self.load_bar)
        self._loading: tuple[int | None, int] | None = None  # (year, change_count) being read

    @property
    def year(self) -> int | None:
        return self._year

    @property
    def db(self) -> Database:
        return self._db

    def rules(self) -> RuleSet:
        """The year's rule set (raises UserError when the stored rules are wrong)."""
        return self._rules.get(self._db, self._year)

    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self.loader.cancel()  # what it reads is for the year no longer shown
        self._year = year
        self._stale = True
        self.clear()
        if self.isVisible():
            QTimer.singleShot(0, self, self.load_if_stale)

    def mark_stale(self) -> None:
        """Keeps what is on screen until the reload replaces it (no flash of an empty page).
        Nothing to do when the page read (or itself wrote and showed) the data after the
        last commit: reloading then would only throw away the user's place."""
        if self._db.change_count == self._seen:
            return
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self, self.load_if_stale)

    def showed_own_change(self) -> None:
        """This page wrote and shows the result itself (its commit's announcement is old)."""
        self._seen = self._db.change_count

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._rules.changed(
            self._db, self._year
        ):  # chosen or edited in 设置: recompute everything
            self._stale = True
            self.clear()
        if self._stale:
            QTimer.singleShot(0, self, self.load_if_stale)

    def load_if_stale(self) -> None:
        if self._stale and self.isVisible() and not self._reading_it_already():
            self.reload()

    def _reading_it_already(self) -> bool:
        return self.loader.busy and self._loading == (self._year, self._db.change_count)

    def reload(self) -> None:
        """Load now (the page stays stale if loading failed or was cancelled)."""
        self._stale = False
        self._seen = self._db.change_count
        if self._year is None:
            self.clear()
            return
        try:
            loaded = self.load()
        except UserError as exc:
            show_error(self, exc)
            loaded = False
        self._stale = not loaded

    def load(self) -> bool:
        """Read and show the year's data; False when it did not happen (yet)."""
        raise NotImplementedError

    def load_in_background(
        self, fn: Callable[[Progress], T], show: Callable[[T], None], *, label: str
    ) -> bool:
        """For load(): read with `fn(progress)` off the GUI thread (services only), then
        `show(result)` here. The page stays stale until the result is shown."""

        def done(result: T) -> None:
            show(result)
            self._stale = False

        self._loading = (self._year, self._db.change_count)
        self.loader.start(fn, done, label=label)
        return False

    def clear(self) -> None:
        raise NotImplementedError
