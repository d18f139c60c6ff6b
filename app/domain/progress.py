"""A small progress-and-cancel protocol for long work, free of any GUI toolkit.

Services call `progress.step(...)`; the GUI adapts it to a progress dialog, the command
line ignores it. Cancelling raises Cancelled at the next step, before anything is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """The user cancelled long work; nothing was saved."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Progress:
    report: Callable[[int, int, str], None] | None = None
    is_cancelled: Callable[[], bool] = _never

    def step(self, done: int, total: int, message: str = "") -> None:
        if self.is_cancelled():
            raise Cancelled
        if self.report is not None:
            self.report(done, total, message)


NO_PROGRESS = Progress()
