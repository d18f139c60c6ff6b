"""Exceptions raised by the reports engine.

`ReportError` carries a Chinese `message` for the user; the service layer maps it to the
app-wide UserError. `Cancelled` is not an error: the user asked to stop.
"""

from __future__ import annotations


class ReportError(Exception):
    """An expected problem while writing a report (locked file, full disk, bad path)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Cancelled(Exception):
    """Raised when the cancel callback asks the renderer to stop."""
