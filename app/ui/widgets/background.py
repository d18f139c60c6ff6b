"""A page's slow reads off the GUI thread, shown in the page, cancellable, newest wins.

Design decisions:
- One `BackgroundLoader` per page with a `LoadBar` in the page's layout (progress, what is
  being read, 取消), never a modal dialog: the clerk may switch pages, filter what is on
  screen or cancel while rows are read.
- `start(fn, done)` runs `fn(progress)` on a QThread; `fn` calls services only (each
  opens its own session through `Database.session()`), never a widget. Its result is handed
  to `done` in the GUI thread (a queued signal). A newer `start` cancels the older load,
  whose result is then dropped even if it finished; so is a cancelled one.
- Cancelling sets a flag the service sees at its next `progress.step` (raising Cancelled);
  a read without steps runs to its end and is dropped.
- `stop_loads` (the main window calls it before closing the database) cancels every load
  and waits for the threads, so no thread outlives the database or the QThread objects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.ui.widgets.messages import show_error

log = logging.getLogger(__name__)
T = TypeVar("T")


class _LoadThread(QThread):
    progressed = Signal(int, int, int, str)  # load number, done, total, message
    ended = Signal(int)  # load number

    def __init__(self, number: int, fn: Callable[[Progress], Any]) -> None:
        # Owned by the application and deleted once finished: a page destroyed while a
        # load runs (a test's window, say) must not destroy a running thread.
        super().__init__(QCoreApplication.instance())
        self.finished.connect(self.deleteLater)
        self.number = number
        self._fn = fn
        self.cancel_flag = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:  # worker thread
        progress = Progress(report=self._report, is_cancelled=self.cancel_flag.is_set)
        try:
            self.result = self._fn(progress)
        except BaseException as exc:  # handed to the GUI thread
            self.error = exc
        self.ended.emit(self.number)

    def _report(self, done: int, total: int, message: str) -> None:  # worker thread
        self.progressed.emit(self.number, done, total, message)


class LoadBar(QWidget):
    """What a page shows while it reads: a busy or filling bar, the step, 取消."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(260)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def begin(self, label: str) -> None:
        self.bar.setRange(0, 0)  # busy until the first step says how much there is
        self.label.setText(label)
        self.cancel_button.setEnabled(True)
        self.show()

    def step(self, done: int, total: int, message: str) -> None:
        if total > 0 and done > 0:  # at 0 an empty bar would look stuck: stay busy
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if message:
            self.label.setText(message)


class BackgroundLoader(QObject):
    """Runs a page's loads one at a time from its point of view (see the module doc)."""

    def __init__(self, page: QWidget, bar: LoadBar) -> None:
        super().__init__(page)
        self._page = page
        self.bar = bar
        self._number = 0
        self._threads: dict[int, _LoadThread] = {}
        self._done: Callable[[Any], None] | None = None
        self._failed: Callable[[BaseException], None] | None = None
        bar.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        """A load is running whose result will be shown."""
        return self._number in self._threads

    def start(
        self,
        fn: Callable[[Progress], T],
        done: Callable[[T], None],
        *,
        label: str,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn` in the background, then `done(result)` here; `failed(error)` when it
        raised a UserError (shown first) or was cancelled (Cancelled). Supersedes the load
        under way."""
        self._cancel_running()
        self._number += 1
        thread = _LoadThread(self._number, fn)
        thread.progressed.connect(self._on_progressed)
        thread.ended.connect(self._on_ended)
        self._threads[self._number] = thread
        self._done, self._failed = done, failed
        self.bar.begin(label)
        thread.start()

    @Slot()
    def cancel(self) -> None:
        """Stop the load under way; what the page showed before stays."""
        if not self.busy:
            return
        self._cancel_running()
        self._number += 1  # its result, if it still comes, belongs to no one
        self.bar.hide()
        failed, self._done, self._failed = self._failed, None, None
        if failed is not None:
            failed(Cancelled())

    def _cancel_running(self) -> None:
        for thread in self._threads.values():
            thread.cancel_flag.set()

    @Slot(int, int, int, str)
    def _on_progressed(self, number: int, done: int, total: int, message: str) -> None:
        if number == self._number:
            self.bar.step(done, total, message)

    @Slot(int)
    def _on_ended(self, number: int) -> None:
        thread = self._threads.pop(number, None)
        if thread is None:
            return  # stop() already waited for it
        thread.wait()  # run() has returned: only the thread's own teardown is left
        if number != self._number:
            return  # superseded or cancelled
        self.bar.hide()
        done, failed, self._done, self._failed = self._done, self._failed, None, None
        error = thread.error
        if error is None:
            assert done is not None
            done(thread.result)
            return
        if isinstance(error, UserError):
            show_error(self._page, error)
        elif not isinstance(error, Cancelled):
            raise error  # a bug: the crash handler reports it
        if failed is not None:
            failed(error)

    def stop(self) -> None:
        """Cancel and wait for every load (before the database closes)."""
        self._cancel_running()
        self._number += 1
        for thread in list(self._threads.values()):
            thread.wait()
        self._threads.clear()
        self.bar.hide()


def stop_loads(window: QWidget) -> None:
    """Cancel and wait for the loads of every page in `window` (it is closing)."""
    for loader in window.findChildren(BackgroundLoader):
        loader.stop()
