"""Driving widgets like a user: typing Chinese, clicking headers, reading a table."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHeaderView, QMessageBox, QTableView, QWidget


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


@dataclass
class Answers:
    """Answers the questions of app.ui.widgets.choice by button label, in order, and
    records each question's text and button labels. Install with `install(monkeypatch)`."""

    queued: list[str] = field(default_factory=list)
    asked: list[tuple[str, list[str]]] = field(default_factory=list)
    default: str | None = None  # answer when nothing is queued (None: fail)

    def press(self, *labels: str) -> None:
        self.queued.extend(labels)

    def present(self, box: QMessageBox) -> str:
        from app.ui.widgets import choice

        self.asked.append((box.text(), [b.text() for b in box.buttons()]))
        label = self.queued.pop(0) if self.queued else self.default
        assert label is not None, f"unexpected question: {box.text()}"
        return choice.key_of(box, label)

    @property
    def texts(self) -> list[str]:
        return [text for text, _labels in self.asked]

    def install(self, monkeypatch) -> Answers:  # type: ignore[no-untyped-def]
        from app.ui.widgets import choice

        monkeypatch.setattr(choice, "_present", self.present)
        return self


def background_done(qtbot, page: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page's background load (page.loader, widgets/background.py) ended."""
    qtbot.waitUntil(lambda: not page.loader.busy, timeout=60_000)  # type: ignore[attr-defined]
