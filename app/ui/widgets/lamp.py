"""Warning lamps on screen: a coloured dot always paired with its name (红灯, 黄灯…).

Colour alone fails colour-blind readers and greyscale printouts, so every lamp shown here
carries its text too. One palette (LAMP_COLOURS) for every lamp on screen, the dashboard's
charts included.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.enums import Lamp

LAMP_COLOURS: dict[Lamp | None, str] = {
    Lamp.RED: "#d32f2f",
    Lamp.YELLOW: "#f6c344",
    Lamp.GREEN: "#388e3c",
    Lamp.BLUE: "#1e6fc8",
    None: "#9e9e9e",
}
UNLIT_LABEL = "未亮灯"
LAMPS: tuple[Lamp, ...] = (Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE)
# Lamps by how much attention they need (a project's lamp is its worst one).
SEVERITY: dict[Lamp | None, int] = {
    None: 0,
    Lamp.GREEN: 1,
    Lamp.BLUE: 2,
    Lamp.YELLOW: 3,
    Lamp.RED: 4,
}
_ICONS: dict[tuple[Lamp | None, int], QIcon] = {}


def lamp_text(lamp: Lamp | None) -> str:
    return lamp.label if lamp else UNLIT_LABEL


def lamp_colour(lamp: Lamp | None) -> QColor:
    return QColor(LAMP_COLOURS[lamp])


def lamp_tint(lamp: Lamp | None) -> QColor:
    """A light background for a table cell holding this lamp (text stays readable)."""
    colour = lamp_colour(lamp)
    return QColor.fromHsvF(colour.hsvHueF(), 0.12 if lamp else 0.0, 1.0)


def lamp_icon(lamp: Lamp | None, size: int = 14) -> QIcon:
    """A filled dot with a dark rim (so yellow shows on white), cached per lamp and size."""
    key = (lamp, size)
    if key not in _ICONS:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = lamp_colour(lamp)
        painter.setPen(colour.darker(150))
        painter.setBrush(colour if lamp else QColor(Qt.GlobalColor.white))
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
        painter.end()
        _ICONS[key] = QIcon(pixmap)
    return _ICONS[key]


def lamp_html(lamp: Lamp | None, suffix: str = "") -> str:
    """Rich text: a coloured dot, the lamp's name and an optional suffix (e.g. a count)."""
    dot = "●" if lamp else "○"
    colour = LAMP_COLOURS[lamp]
    return f'<span style="color:{colour}">{dot}</span>&nbsp;{lamp_text(lamp)}{suffix}'


class LampChip(QLabel):
    """A small label such as "● 红灯 12", for summaries above a table or in a dialog."""

    def __init__(self, lamp: Lamp | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.lamp: Lamp | None = lamp
        self.count: int | None = None
        self.set_lamp(lamp)

    def set_lamp(self, lamp: Lamp | None, count: int | None = None) -> None:
        self.lamp, self.count = lamp, count
        suffix = "" if count is None else f"&nbsp;<b>{count}</b>"
        self.setText(lamp_html(lamp, suffix))
        border = lamp_colour(lamp).name()
        background = lamp_tint(lamp).name()
        self.setStyleSheet(
            f"QLabel {{ border: 1px solid {border}; border-radius: 9px;"
            f" background: {background}; padding: 1px 8px; }}"
        )

    def plain_text(self) -> str:
        """What the chip says, without markup (for tests and accessibility)."""
        text = lamp_text(self.lamp)
        return text if self.count is None else f"{text} {self.count}"
