"""Read-only mode has one rule: an action that writes says so, and a window showing a
read-only database keeps every such action disabled.

Pages and dialogs mark each button that saves anything with `writes(button, ...)`; the main
window says whether its database is read-only with `set_window_read_only`. A guard (one
event filter) re-checks a marked button whenever it is enabled or shown, so a page's own
logic ("审核通过 when the goal is submitted") can never switch it back on in a read-only
window, and a dialog opened later from such a window is covered too.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

WRITES = "writes_data"  # property on a button that saves something
READ_ONLY = "database_read_only"  # property on a window whose database is read-only
_WATCHED = (QEvent.Type.EnabledChange, QEvent.Type.Show, QEvent.Type.ParentChange)


class _Guard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _WATCHED and isinstance(watched, QWidget):
            _hold(watched)
        return False


_guard: _Guard | None = None


def writes(*buttons: QWidget) -> None:
    """Declare that these buttons write to the database."""
    global _guard
    if _guard is None:
        _guard = _Guard()
    for button in buttons:
        button.setProperty(WRITES, True)
        button.installEventFilter(_guard)
        _hold(button)


def set_window_read_only(window: QWidget, read_only: bool) -> None:
    """Disable (or give back) every writing button under the window."""
    window.setProperty(READ_ONLY, read_only)
    for button in writing_buttons(window):
        if read_only:
            button.setEnabled(False)
        elif not in_read_only_window(button):
            button.setEnabled(True)  # the page's own state logic refines it on reload


def hold_read_only(root: QWidget) -> None:
    """A page added to a window after `set_window_read_only`: hold its writing buttons
    (those on hidden tabs see no Show event before the window's check finds them)."""
    for button in writing_buttons(root):
        _hold(button)


def writing_buttons(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.property(WRITES)]


def _hold(widget: QWidget) -> None:
    explicitly_enabled = not widget.testAttribute(QtCore.Qt.WidgetAttribute.WA_Disabled)
    if explicitly_enabled and in_read_only_window(widget):
        widget.setEnabled(False)


def in_read_only_window(widget: QWidget) -> bool:
    """Whether the widget sits in (or in a dialog opened from) a read-only window."""
    node: QWidget | None = widget
    while node is not None:
        if node.property(READ_ONLY):
            return True
        node = node.parentWidget()
    return False
