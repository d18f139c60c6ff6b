"""Long work off the GUI thread, with a progress dialog and a cancel button.

`run_task` runs `fn(progress)` on a QThread and waits in a local event loop, so the window
stays painted and the cancel button works. The worker reports through a Qt signal (queued
to the GUI thread) and reads the cancel flag from a threading.Event: it never touches a
widget. The function's result is returned; its exception (including Cancelled) is raised
again in the GUI thread. The dialog is application-modal, so tasks never overlap and all
database work of a task happens on its one worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.progress import Progress

T = TypeVar("T")


class _TaskThread(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, fn: Callable[[Progress], object]) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None

    def request_cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:  # worker thread
        progress = Progress(report=self._report, is_cancelled=self._cancel.is_set)
        try:
            self.result = self._fn(progress)
        except BaseException as exc:  # handed to the GUI thread and raised there
            self.error = exc

    def _report(self, done: int, total: int, message: str) -> None:  # worker thread
        self.progressed.emit(done, total, message)


class TaskProgressDialog(QProgressDialog):
    """The dialog shown while a task runs; lives in the GUI thread."""

    def __init__(self, parent: QWidget | None, title: str, label: str) -> None:
        super().__init__(label, "取消", 0, 0, parent)
        self._label = label
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumDuration(300)
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.canceled.connect(self._on_self_canceled)

    @Slot(int, int, str)
    def show_progress(self, done: int, total: int, message: str) -> None:
        if self.wasCanceled():
            return
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))
        self.setLabelText(message or self._label)

    def _on_self_canceled(self) -> None:
        self.setLabelText("正在取消，请稍候…")


def run_task(
    parent: QWidget | None,
    title: str,
    fn: Callable[[Progress], T],
    *,
    label: str = "正在处理，请稍候…",
) -> T:
    """Run `fn(progress)` on a worker thread; return its result or raise its exception.

    Raises app.domain.progress.Cancelled when the user cancels (the service stops at its
    next progress step, before committing).
    """
    thread = _TaskThread(fn)
    dialog = TaskProgressDialog(parent, title, label)
    loop = QEventLoop()
    thread.progressed.connect(dialog.show_progress)
    dialog.canceled.connect(thread.request_cancel)
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if thread.error is not None:
        raise thread.error
    return thread.result  # type: ignore[return-value]
