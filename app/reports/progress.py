"""Progress and cancel protocol shared by the renderers (plain callables, no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from app.reports.errors import Cancelled


class ProgressCallback(Protocol):
    """Called with steps done, total steps and a short Chinese description."""

    def __call__(self, done: int, total: int, message: str) -> None: ...


CancelCheck = Callable[[], bool]


class Tracker:
    """Reports progress at most every `every` steps and raises `Cancelled` on request."""

    def __init__(
        self,
        total: int,
        progress: ProgressCallback | None,
        cancel: CancelCheck | None,
        message: str,
        every: int = 1,
    ) -> None:
        self.total = max(total, 1)
        self._progress = progress
        self._cancel = cancel
        self._message = message
        self._every = max(every, 1)
        self._last = -self._every

    def step(self, done: int) -> None:
        if self._cancel is not None and self._cancel():
            raise Cancelled
        if self._progress is not None and done - self._last >= self._every:
            self._last = done
            self._progress(min(done, self.total), self.total, self._message)

    def finish(self, message: str) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total, message)
