"""A small bar chart of counts (e.g. 优/良/中/差), painted by Qt.

Screens draw their own small charts so that the GUI process never imports matplotlib
(≈76 MB held for the life of the process for four bars); the reports keep matplotlib.
Geometry is computed in `bar_rects` apart from painting, so it can be checked in tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = "#4a7ab5"
MARGIN, TITLE_HEIGHT, LABEL_HEIGHT, VALUE_HEIGHT = 8, 20, 18, 16


class CountChart(QWidget):
    def __init__(self, placeholder: str = "暂无数据", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._labels: tuple[str, ...] = ()
        self._values: tuple[int, ...] = ()
        self._placeholder = placeholder
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(160, 100)

    def set_counts(self, labels: Sequence[str], values: Sequence[int], title: str = "") -> None:
        if len(labels) != len(values):
            raise ValueError("every bar needs a label")
        self._labels, self._values, self._title = tuple(labels), tuple(values), title
        self.update()

    def clear(self) -> None:
        self.set_counts((), ())

    def has_chart(self) -> bool:
        return bool(self._values) and any(self._values)

    def values(self) -> tuple[int, ...]:
        return self._values

    def sizeHint(self) -> QSize:
        return QSize(260, 160)

    def plot_area(self) -> QRectF:
        top = MARGIN + (TITLE_HEIGHT if self._title else 0) + VALUE_HEIGHT
        return QRectF(
            MARGIN, top, self.width() - 2 * MARGIN, self.height() - top - LABEL_HEIGHT - MARGIN
        )

    def bar_rects(self) -> list[QRectF]:
        """One rectangle per bar, heights proportional to the counts, the largest full."""
        area = self.plot_area()
        if not self._values or area.height() <= 0:
            return []
        slot = area.width() / len(self._values)
        top = max(max(self._values), 1)
        rects = []
        for i, value in enumerate(self._values):
            height = area.height() * value / top
            left = area.left() + slot * i + slot * 0.2
            rects.append(QRectF(left, area.bottom() - height, slot * 0.6, height))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().windowText().color()
        if not self.has_chart():
            painter.setPen(QColor("#888888"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
            return
        if self._title:
            painter.setPen(text_colour)
            title = QRectF(0, MARGIN, self.width(), TITLE_HEIGHT)
            painter.drawText(title, Qt.AlignmentFlag.AlignCenter, self._title)
        area = self.plot_area()
        painter.setPen(QColor("#999999"))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        for rect, label, value in zip(self.bar_rects(), self._labels, self._values, strict=True):
            painter.fillRect(rect, QColor(BAR_COLOUR))
            painter.setPen(text_colour)
            above = QRectF(rect.left() - 10, rect.top() - VALUE_HEIGHT, rect.width() + 20, 16)
            painter.drawText(above, Qt.AlignmentFlag.AlignCenter, str(value))
            below = QRectF(rect.left() - 10, area.bottom() + 2, rect.width() + 20, LABEL_HEIGHT)
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, label)
