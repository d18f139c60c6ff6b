"""Last line of defence: anything not handled is logged and shown with the log folder."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from app import paths
from app.domain.errors import UserError
from app.ui.widgets.messages import show_crash, show_error

log = logging.getLogger(__name__)


def install_excepthook() -> None:
    sys.excepthook = handle_exception


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook: exceptions escaping Qt slots and the start-up code end here."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        if isinstance(exc, UserError):
            # An expected problem some caller forgot to catch: still show it as one.
            log.warning("未捕获的 UserError：%s", exc.message, exc_info=(exc_type, exc, tb))
            show_error(None, exc)
            return
        log.critical("未处理的异常", exc_info=(exc_type, exc, tb))
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        show_crash(None, paths.log_dir(), details)
    except Exception:  # the dialog itself failed: at least keep the report on stderr
        sys.__excepthook__(exc_type, exc, tb)
