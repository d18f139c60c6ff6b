"""Shows a chart drawn by the reports layer (PNG bytes) scaled to the widget.

The screen shows the very pictures the reports print: one chart code path. The picture
keeps its proportions: it fits the width, and the widget asks for the height that takes
(heightForWidth), so a tall chart in a scroll area scrolls instead of shrinking to nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


class ChartView(QWidget):
    def __init__(self, placeholder: str = "暂无图表", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap()
        self._placeholder = placeholder
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(240, 120)

    def set_png(self, png: bytes | None) -> None:
        """Show a PNG picture; None (or bytes Qt cannot read) shows the placeholder."""
        pixmap = QPixmap()
        if png:
            pixmap.loadFromData(png, "PNG")
        self._pixmap = pixmap
        self.updateGeometry()
        self.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    # -- layout ----------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:
        return not self._pixmap.isNull()

    def heightForWidth(self, width: int) -> int:
        if self._pixmap.isNull():
            return self.minimumHeight()
        # Never upscale beyond the picture's own size: it would only blur.
        shown = min(width, self._pixmap.width())
        return max(self.minimumHeight(), shown * self._pixmap.height() // self._pixmap.width())

    def sizeHint(self) -> QSize:
        if self._pixmap.isNull():
            return QSize(480, 240)
        width = min(self._pixmap.width(), 900)
        return QSize(width, self.heightForWidth(width))

    def target_rect(self) -> QRect:
        """Where the picture is drawn: as large as fits, proportions kept, centred."""
        if self._pixmap.isNull():
            return QRect()
        size = self._pixmap.size().scaled(
            self.size().boundedTo(self._pixmap.size()), Qt.AspectRatioMode.KeepAspectRatio
        )
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        return QRect(x, max(y, 0), size.width(), size.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._pixmap.isNull():
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.target_rect(), self._pixmap)
