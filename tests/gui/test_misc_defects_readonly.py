"""QA round 2: read-only inputs look read-only (grey, no focus frame), even when focused
and even when made read-only after they were shown (a goal approved, a round closed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.ui import application


@pytest.fixture
def styled_app(qapp: QApplication) -> Iterator[QApplication]:
    before = qapp.styleSheet()
    application.ensure_application()
    yield qapp
    qapp.setStyleSheet(before)


def _fill(widget: QWidget) -> QColor:
    """The colour inside the input's frame, away from the text."""
    image: QImage = widget.grab().toImage()
    return image.pixelColor(image.width() - 8, image.height() // 2)


def test_the_application_installs_the_read_only_style(styled_app):
    assert application.READ_ONLY_STYLE in styled_app.styleSheet()


def test_focused_read_only_inputs_are_grey_and_editable_ones_white(qtbot, styled_app):
    window = QWidget()
    layout = QVBoxLayout(window)
    locked, later, editable = QLineEdit("项目名称"), QLineEdit("部门整体预算"), QLineEdit("可编辑")
    text = QPlainTextEdit("说明")
    for widget in (locked, later, editable, text):
        layout.addWidget(widget)
    locked.setReadOnly(True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    later.setReadOnly(True)  # like a round closed while its form is open
    text.setReadOnly(True)
    locked.setFocus()
    grey = window.palette().color(QPalette.ColorRole.Window)
    white = window.palette().color(QPalette.ColorRole.Base)
    assert grey != white
    assert _fill(locked) == grey
    assert _fill(later) == grey
    assert _fill(text.viewport()) == grey
    assert _fill(editable) == white
