"""Driving widgets like a user: typing Chinese, clicking headers, reading a table."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """Commit text the way an input method does (QTest can only type ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def click_header(view: QTableView, column: int) -> None:
    header: QHeaderView = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def column_values(view: QTableView, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    model = view.model()
    return [model.index(row, column).data(role) for row in range(model.rowCount())]
