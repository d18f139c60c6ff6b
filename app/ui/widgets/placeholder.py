"""A page that is not built yet says so, and says what will be there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

NOT_BUILT_PREFIX = "本页面尚未完成：将在此"


class PlaceholderPage(QWidget):
    def __init__(self, title: str, coming: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = f"{NOT_BUILT_PREFIX}{coming}"
        body = QLabel(self.text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setStyleSheet("font-size: 11pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 0, 80, 0)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addSpacing(12)
        layout.addWidget(body)
        layout.addStretch(2)
