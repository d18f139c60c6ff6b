"""The dashboard's four charts, painted by Qt so that the GUI process never imports matplotlib.

Design decisions:
- Three steps kept apart: the dashboard figures become chart data (`department_bars`,
  `lamp_stacks`, `rate_lines`: plain values), the data and a size become geometry
  (`progress_layout`, `stacked_layout`, `line_layout`: rectangles and points), and only the
  widgets paint. Tests check the first two without a screen.
- Departments are charted most-lagging first (smallest execution rate; those without budget
  last), one row each, so the ones a clerk must chase are at the top. The chart's height
  grows with the departments and the dashboard scrolls, so a long list stays readable.
- The lamp palette is the one of every lamp on screen (LAMP_COLOURS); value labels on the bars
  keep the lamps apart for readers who cannot tell the colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.enums import Lamp
from app.domain.lamps import budget_lamp
from app.domain.rules import RuleSet
from app.services.monitoring import Dashboard, LampCounts
from app.ui.widgets.lamp import LAMP_COLOURS, LAMPS, lamp_text

RATE_COLOUR, PROGRESS_COLOUR = "#2f5d8a", "#7f7f7f"
MARGIN, TITLE_HEIGHT, LEGEND_HEIGHT, AXIS_HEIGHT = 8, 22, 22, 18
ROW_HEIGHT, ROW_BAR, VALUE_WIDTH = 24, 14, 60  # department rows; room for "123.45%"
LABEL_LINES = 2  # category names under the bars wrap onto at most two lines
NO_BUDGET = "无预算"


# -- chart data (plain values) ---------------------------------------------------------------
@dataclass(frozen=True)
class ProgressBars:
    """Execution rate by department against 序时进度, most-lagging first (percentages)."""

    title: str
    names: tuple[str, ...]
    rates: tuple[float | None, ...]  # None: no budget, so no rate
    lamps: tuple[Lamp | None, ...]  # the budget lamp of each department's summed money
    reference: float  # 序时进度


@dataclass(frozen=True)
class LampStacks:
    """Project lamps per category, one stack each; `lamps` are the series drawn."""

    title: str
    categories: tuple[str, ...]
    lamps: tuple[Lamp | None, ...]  # 红灯…蓝灯, then None (未亮灯) only if any
    counts: tuple[tuple[int, ...], ...]  # per category, one count per lamp in `lamps`


@dataclass(frozen=True)
class RateLines:
    """Percentages by round, one line per series (name, colour, values)."""

    title: str
    rounds: tuple[str, ...]
    series: tuple[tuple[str, str, tuple[float | None, ...]], ...]


def department_bars(board: Dashboard, rules: RuleSet) -> ProgressBars | None:
    """The latest round's departments, most-lagging first; None without a round."""
    month = board.latest_month
    if month is None:
        return None
    departments = sorted(
        board.departments,
        key=lambda d: (d.execution_rate is None, d.execution_rate or 0, d.department_code),
    )
    reference = departments[0].time_progress if departments else Decimal(month) / 12
    return ProgressBars(
        title=f"{board.year}年{month}月各单位预算执行率与序时进度",
        names=tuple(d.department_name for d in departments),
        rates=tuple(_percent(d.execution_rate) for d in departments),
        lamps=tuple(
            budget_lamp(d.execution_rate, month, rules.monitoring).lamp for d in departments
        ),
        reference=_percent(reference) or 0.0,
    )


def lamp_stacks(title: str, categories: Sequence[str], counts: Sequence[LampCounts]) -> LampStacks:
    lamps: list[Lamp | None] = list(LAMPS)
    if any(c.unlit for c in counts):
        lamps.append(None)
    return LampStacks(
        title=title,
        categories=tuple(categories),
        lamps=tuple(lamps),
        counts=tuple(
            tuple(getattr(c, lamp.value if lamp else "unlit") for lamp in lamps) for c in counts
        ),
    )


def rate_lines(board: Dashboard) -> RateLines:
    return RateLines(
        title=f"{board.year}年各轮预算执行率与序时进度",
        rounds=tuple(f"{t.month}月" for t in board.trend),
        series=(
            ("执行率", RATE_COLOUR, tuple(_percent(t.execution_rate) for t in board.trend)),
            ("序时进度", PROGRESS_COLOUR, tuple(_percent(t.time_progress) for t in board.trend)),
        ),
    )


def _percent(ratio: Decimal | None) -> float | None:
    """A fraction as a percentage for drawing (charts are pictures: float is fine here)."""
    return None if ratio is None else float(round(ratio * 100, 2))


# -- geometry (plain functions of the data and a size) ---------------------------------------
@dataclass(frozen=True)
class ProgressLayout:
    plot: QRectF  # where the bars go; names on its left, values on its right
    bars: tuple[QRectF | None, ...]  # None where a department has no rate
    reference_x: float  # the 序时进度 line
    scale: float  # the percentage at the plot's right edge


def progress_height(rows: int) -> int:
    """The height a department chart needs: one row per department."""
    return 2 * MARGIN + TITLE_HEIGHT + LEGEND_HEIGHT + max(rows, 1) * ROW_HEIGHT + AXIS_HEIGHT


def progress_layout(
    rates: Sequence[float | None], reference: float, width: float, label_width: float
) -> ProgressLayout:
    """Bars from the plot's left edge, lengths proportional to the rates; the scale reaches
    at least 100% so the 序时进度 line sits where the year stands."""
    top = MARGIN + TITLE_HEIGHT + LEGEND_HEIGHT
    left = MARGIN + label_width + 6
    plot = QRectF(left, top, max(width - left - VALUE_WIDTH - MARGIN, 1), len(rates) * ROW_HEIGHT)
    scale = max(100.0, reference, *(r for r in rates if r is not None))
    bars: list[QRectF | None] = []
    for i, rate in enumerate(rates):
        if rate is None:
            bars.append(None)
            continue
        y = top + i * ROW_HEIGHT + (ROW_HEIGHT - ROW_BAR) / 2
        bars.append(QRectF(left, y, plot.width() * max(rate, 0.0) / scale, ROW_BAR))
    return ProgressLayout(plot, tuple(bars), left + plot.width() * reference / scale, scale)


def stacked_layout(counts: Sequence[Sequence[int]], plot: QRectF) -> list[list[QRectF]]:
    """Per category, one segment per series from the bottom up; heights proportional to the
    counts, the tallest stack filling the plot."""
    if not counts:
        return []
    top = max(max(sum(stack) for stack in counts), 1)
    slot = plot.width() / len(counts)
    width = min(slot * 0.6, 64)
    result = []
    for i, stack in enumerate(counts):
        left = plot.left() + slot * i + (slot - width) / 2
        bottom = plot.bottom()
        segments = []
        for count in stack:
            height = plot.height() * count / top
            segments.append(QRectF(left, bottom - height, width, height))
            bottom -= height
        result.append(segments)
    return result


def line_layout(
    series: Sequence[Sequence[float | None]], plot: QRectF
) -> list[list[QPointF | None]]:
    """Points at the centres of the rounds' slots, heights proportional to the values on a
    scale of at least 100%; None (no rate) leaves a gap."""
    rounds = max((len(values) for values in series), default=0)
    if not rounds:
        return []
    scale = max(100.0, *(v for values in series for v in values if v is not None))
    slot = plot.width() / rounds
    return [
        [
            None
            if value is None
            else QPointF(
                plot.left() + slot * (i + 0.5), plot.bottom() - plot.height() * value / scale
            )
            for i, value in enumerate(values)
        ]
        for values in series
    ]


def slot_rects(categories: int, plot: QRectF) -> list[QRectF]:
    """The label box under each category's bar or point (two lines)."""
    if not categories:
        return []
    slot = plot.width() / categories
    height = AXIS_HEIGHT * LABEL_LINES
    return [
        QRectF(plot.left() + slot * i, plot.bottom() + 2, slot, height) for i in range(categories)
    ]


# -- painting --------------------------------------------------------------------------------
def _text_on(colour: QColor) -> QColor:
    """Dark text on light fills (yellow), white on dark ones."""
    return QColor("#222222") if colour.lightnessF() > 0.6 else QColor(Qt.GlobalColor.white)


class _Titled(Protocol):
    @property
    def title(self) -> str: ...


D = TypeVar("D", bound=_Titled)


class _Chart(QWidget, Generic[D]):
    """The data shown, title, legend and placeholder common to the dashboard's charts."""

    def __init__(self, placeholder: str = "暂无数据", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self._data: D | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(300, 240)

    def set_data(self, data: D | None) -> None:
        self._data = data
        self.update()

    def data(self) -> D | None:
        return self._data

    def has_chart(self) -> bool:
        raise NotImplementedError

    def title(self) -> str:
        return self._data.title if self._data else ""

    def sizeHint(self) -> QSize:
        return QSize(420, 280)

    def plot_area(self) -> QRectF:
        """Below title and legend, above two lines of category names; a left gutter for
        the 0/50/100 ticks."""
        top = MARGIN + TITLE_HEIGHT + LEGEND_HEIGHT + 16  # room for the labels above the top
        bottom = self.height() - MARGIN - AXIS_HEIGHT * LABEL_LINES
        return QRectF(MARGIN + 8, top, self.width() - 2 * MARGIN - 16, max(bottom - top, 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.has_chart():
            painter.setPen(QColor("#888888"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
            return
        painter.setPen(self.palette().windowText().color())
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            QRectF(0, MARGIN, self.width(), TITLE_HEIGHT),
            Qt.AlignmentFlag.AlignCenter,
            self.title(),
        )
        font.setBold(False)
        painter.setFont(font)
        self._paint_chart(painter)

    def _paint_chart(self, painter: QPainter) -> None:
        raise NotImplementedError

    def _paint_legend(self, painter: QPainter, items: Sequence[tuple[str, QColor, str]]) -> None:
        """A centred row of swatches: kind "box" (bars), "line" or "dash" (reference)."""
        metrics = painter.fontMetrics()
        widths = [22 + metrics.horizontalAdvance(text) + 14 for text, _, _ in items]
        x = max((self.width() - sum(widths)) / 2, MARGIN)
        y = MARGIN + TITLE_HEIGHT + LEGEND_HEIGHT / 2
        for (text, colour, kind), width in zip(items, widths, strict=True):
            if kind == "box":
                painter.fillRect(QRectF(x + 2, y - 6, 12, 12), colour)
            else:
                style = Qt.PenStyle.DashLine if kind == "dash" else Qt.PenStyle.SolidLine
                painter.setPen(QPen(colour, 2, style))
                painter.drawLine(QPointF(x, y), QPointF(x + 16, y))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(x + 20, y - 10, width - 20, 20), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += width

    def _paint_labels(self, painter: QPainter, labels: Sequence[str], plot: QRectF) -> None:
        painter.setPen(QColor("#999999"))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(self.palette().windowText().color())
        metrics = painter.fontMetrics()
        for rect, label in zip(slot_rects(len(labels), plot), labels, strict=True):
            text = _fitted(metrics, label, rect)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(rect, int(flags) | int(Qt.TextFlag.TextWrapAnywhere), text)


def _fitted(metrics: QFontMetrics, text: str, rect: QRectF) -> str:
    """The text, shortened with … when even two wrapped lines would not hold it."""
    room = rect.width() * LABEL_LINES - metrics.horizontalAdvance("…")
    if metrics.horizontalAdvance(text) <= rect.width() * LABEL_LINES * 0.95:
        return text
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room * 0.9))


class ProgressBarChart(_Chart[ProgressBars]):
    """执行率 by department, one row each, against the 序时进度 line."""

    def set_data(self, data: ProgressBars | None) -> None:
        self._data = data
        rows = len(data.names) if data else 0
        self.setMinimumHeight(progress_height(rows) if rows else 240)
        self.updateGeometry()
        self.update()

    def has_chart(self) -> bool:
        return bool(self._data and self._data.names)

    def sizeHint(self) -> QSize:
        return QSize(600, self.minimumHeight())

    def label_width(self) -> float:
        """The names' column: as wide as the longest name, at most a third of the chart."""
        names = self._data.names if self._data else ()
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0)
        return min(widest + 4, self.width() / 3)

    def layout_now(self) -> ProgressLayout:
        assert self._data is not None
        return progress_layout(
            self._data.rates, self._data.reference, self.width(), self.label_width()
        )

    def _paint_chart(self, painter: QPainter) -> None:
        data = self._data
        assert data is not None
        reference = f"序时进度 {data.reference:.2f}%"
        shown = [lamp for lamp in LAMPS if lamp in data.lamps]
        self._paint_legend(
            painter,
            [
                *[
                    (f"执行率（{lamp_text(lamp)}）", QColor(LAMP_COLOURS[lamp]), "box")
                    for lamp in shown
                ],
                (reference, QColor("#444444"), "dash"),
            ],
        )
        geometry = self.layout_now()
        plot = geometry.plot
        metrics = painter.fontMetrics()
        text = self.palette().windowText().color()
        label_width = self.label_width()
        band, background = QColor("#f4f6f8"), self.palette().window().color()
        for i in range(1, len(data.names), 2):  # banded rows lead the eye from name to bar
            top = plot.top() + i * ROW_HEIGHT
            painter.fillRect(QRectF(MARGIN, top, self.width() - 2 * MARGIN, ROW_HEIGHT), band)
        # The 序时进度 line goes under the bars and their values, which stay legible over it.
        painter.setPen(QPen(QColor("#444444"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(
            QPointF(geometry.reference_x, plot.top()), QPointF(geometry.reference_x, plot.bottom())
        )
        painter.setPen(QColor("#999999"))
        painter.drawLine(plot.topLeft(), plot.bottomLeft())
        for tick in (0, 50, 100):
            x = plot.left() + plot.width() * tick / geometry.scale
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 2, 60, AXIS_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                f"{tick}%",
            )
        for i, (name, rate, lamp, bar) in enumerate(
            zip(data.names, data.rates, data.lamps, geometry.bars, strict=True)
        ):
            row = QRectF(MARGIN, plot.top() + i * ROW_HEIGHT, label_width, ROW_HEIGHT)
            painter.setPen(text)
            shown_name = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(label_width))
            painter.drawText(
                row, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown_name
            )
            value = NO_BUDGET if bar is None or rate is None else f"{rate:.2f}%"
            left = plot.left() if bar is None else bar.right()
            box = QRectF(
                left + 3, row.top() + 4, metrics.horizontalAdvance(value) + 4, ROW_HEIGHT - 8
            )
            painter.fillRect(box, band if i % 2 else background)
            if bar is not None:
                painter.fillRect(bar, QColor(LAMP_COLOURS[lamp]))
            painter.setPen(text if bar is not None else QColor("#888888"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, value)


class StackedLampChart(_Chart[LampStacks]):
    """Project lamps per category (股室 or round): a stack per category, counts on it."""

    def has_chart(self) -> bool:
        return bool(self._data and any(any(stack) for stack in self._data.counts))

    def _paint_chart(self, painter: QPainter) -> None:
        data = self._data
        assert data is not None
        self._paint_legend(
            painter, [(lamp_text(lamp), QColor(LAMP_COLOURS[lamp]), "box") for lamp in data.lamps]
        )
        plot = self.plot_area()
        text = self.palette().windowText().color()
        for stack, segments in zip(data.counts, stacked_layout(data.counts, plot), strict=True):
            for lamp, count, rect in zip(data.lamps, stack, segments, strict=True):
                if not count:
                    continue
                colour = QColor(LAMP_COLOURS[lamp])
                painter.fillRect(rect, colour)
                if rect.height() >= 14:  # a count that fits inside its segment
                    painter.setPen(_text_on(colour))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
            if segments:
                top = segments[-1]
                painter.setPen(text)
                painter.drawText(
                    QRectF(top.left() - 20, top.top() - 16, top.width() + 40, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    f"共{sum(stack)}",
                )
        self._paint_labels(painter, data.categories, plot)


class RateLineChart(_Chart[RateLines]):
    """Percentages by round: one line per series, a dot and its value at each round."""

    def has_chart(self) -> bool:
        return bool(self._data and self._data.rounds)

    def _paint_chart(self, painter: QPainter) -> None:
        data = self._data
        assert data is not None
        self._paint_legend(
            painter, [(name, QColor(colour), "line") for name, colour, _ in data.series]
        )
        plot = self.plot_area()
        values = [series for _, _, series in data.series]
        points = line_layout(values, plot)
        painter.setPen(QPen(QColor("#e3e3e3"), 1))
        scale = max(100.0, *(v for series in values for v in series if v is not None))
        for tick in (50, 100):
            y = plot.bottom() - plot.height() * tick / scale
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        for (_, colour, _values), line in zip(data.series, points, strict=True):
            pen = QPen(QColor(colour), 2)
            painter.setPen(pen)
            drawn = [p for p in line if p is not None]
            for a, b in pairwise(line):
                if a is not None and b is not None:
                    painter.drawLine(a, b)
            painter.setBrush(QColor(colour))
            for point in drawn:
                painter.drawEllipse(point, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        for i in range(len(data.rounds)):
            self._paint_values(
                painter, [(s[1], s[2][i], p[i]) for s, p in zip(data.series, points, strict=True)]
            )
        self._paint_labels(painter, data.rounds, plot)

    def _paint_values(
        self, painter: QPainter, at_round: Sequence[tuple[str, float | None, QPointF | None]]
    ) -> None:
        """One round's values: the highest above its dot, the others below theirs, so two
        close lines do not print over each other."""
        drawn = sorted(
            (
                (value, colour, point)
                for colour, value, point in at_round
                if point is not None and value is not None
            ),
            key=lambda item: -item[0],
        )
        for rank, (value, colour, point) in enumerate(drawn):
            box = (
                QRectF(point.x() - 40, point.y() - 20, 80, 16)
                if rank == 0
                else QRectF(point.x() - 40, point.y() + 4, 80, 16)
            )
            painter.setPen(QColor(colour).darker(130))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{value:.2f}%")
