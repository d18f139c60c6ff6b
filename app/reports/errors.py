"""Exceptions raised by the reports engine.

`ReportError` is an app-wide UserError with a Chinese message (locked file, full disk, bad
path). `Cancelled` is the app-wide one: the user asked to stop, nothing was written.
"""

from __future__ import annotations

from app.domain.errors import UserError
from app.domain.progress import Cancelled

__all__ = ["Cancelled", "ReportError"]


class ReportError(UserError):
    """An expected problem while writing a report (locked file, full disk, bad path)."""
