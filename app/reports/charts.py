"""Report charts as PNG bytes, drawn headless with matplotlib's Agg canvas (no pyplot, no Qt).

Chinese labels use the CJK TrueType font fonts.py resolved, loaded by file path, so a
machine whose matplotlib cache knows no CJK family still draws Chinese, not boxes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from app.reports.chart_colours import GRADE_COLOURS, PALETTE, REFERENCE_COLOUR
from app.reports.fonts import default_fonts
from app.reports.layout import FontRole
from app.reports.model import BarChart, Chart

log = logging.getLogger("app.reports")

DPI = 200


def chart_font() -> FontProperties:
    """FontProperties for the 黑体 role (sans reads best in charts)."""
    font = default_fonts()[FontRole.HEI]
    if font.path is None:
        log.warning("图表没有可用的中文字体，中文可能显示为方框")
        return FontProperties()
    font_manager.fontManager.addfont(str(font.path))
    return FontProperties(fname=str(font.path))


def new_figure(width_mm: float, height_mm: float) -> Figure:
    """A headless figure of the printed size (no pyplot: nothing global, thread-safe)."""
    fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes on white, ready for a report `Figure`."""
    buffer = io.BytesIO()
    # Tick labels are formatted at draw time; CJK fonts may lack U+2212 MINUS SIGN.
    with rc_context({"axes.unicode_minus": False}):
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def style_axes(ax: object, font: FontProperties, title: str | None, label: str | None) -> None:
    """The house style: CJK font on title and ticks, no top/right spines, a value label."""
    if title:
        ax.set_title(title, fontproperties=font, fontsize=11)  # type: ignore[attr-defined]
    for tick in (*ax.get_xticklabels(), *ax.get_yticklabels()):  # type: ignore[attr-defined]
        tick.set_fontproperties(font)
        tick.set_fontsize(9)
    ax.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    if label:
        ax.set_ylabel(label, fontproperties=font, fontsize=9)  # type: ignore[attr-defined]


def bar_chart(
    categories: Sequence[str],
    values: Sequence[float],
    title: str | None = None,
    value_label: str | None = None,
    value_format: str = "{:g}",
    width_mm: float = 150,
    height_mm: float = 80,
) -> bytes:
    """Vertical bars with their values on top, e.g. the grade distribution 优/良/中/差."""
    font = chart_font()
    fig = new_figure(width_mm, height_mm)
    ax = fig.add_subplot()
    colours = [GRADE_COLOURS.get(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(categories)]
    bars = ax.bar(list(categories), list(values), color=colours, width=0.6)
    labels = ax.bar_label(bars, labels=[value_format.format(v) for v in values], padding=2)
    for text in labels:
        text.set_fontproperties(font)
        text.set_fontsize(9)
    ax.margins(y=0.15)
    style_axes(ax, font, title, value_label)
    return png(fig)


def grouped_bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str | None = None,
    value_label: str | None = None,
    horizontal: bool = True,
    reference: tuple[float, str] | None = None,
    percent: bool = False,
    width_mm: float = 150,
    height_mm: float | None = None,
) -> bytes:
    """Bars per category and series, e.g. 执行率 by department; `reference` draws a line
    such as (50.0, "序时进度") across the chart. Values are percentages when `percent`.
    Every bar carries its value: six bars near 90% cannot be told apart by length."""
    font = chart_font()
    n = len(categories)
    if height_mm is None:  # horizontal charts grow with the number of departments
        height_mm = max(60.0, 8.0 * n * max(len(series), 1) / 1.6 + 25) if horizontal else 80.0
    fig = new_figure(width_mm, height_mm)
    ax = fig.add_subplot()
    group = 0.8
    bar = group / max(len(series), 1)
    positions = list(range(n))
    for i, (name, values) in enumerate(series.items()):
        offsets = [p - group / 2 + bar * (i + 0.5) for p in positions]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(offsets, list(values), bar * 0.9, label=name, color=PALETTE[i % len(PALETTE)])
        shown = [f"{v:.2f}%" if percent else f"{v:g}" for v in values]
        for text in ax.bar_label(bars, labels=shown, padding=2):
            text.set_fontproperties(font)
            text.set_fontsize(8)
    if horizontal:
        ax.set_yticks(positions, list(categories))
        ax.invert_yaxis()  # first department on top, as in the table
    else:
        ax.set_xticks(positions, list(categories))
    if reference is not None:
        value, name = reference
        line = ax.axvline if horizontal else ax.axhline
        line(value, color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label=name)
    if horizontal:  # room for the value labels
        ax.margins(x=0.12)
    else:
        ax.margins(y=0.12)
    if percent:
        axis = ax.xaxis if horizontal else ax.yaxis
        axis.set_major_formatter(lambda v, _pos: f"{v:g}%")
    small = font.copy()
    small.set_size(9)
    # Below the axes: inside, it would cover the longest bars.
    count = len(series) + (reference is not None)
    fig.legend(prop=small, frameon=False, loc="outside lower center", ncol=count)
    style_axes(ax, font, title, value_label)
    return png(fig)


def chart_png(chart: Chart) -> bytes:
    """A chart of the document model as PNG (the PDF draws it with pdf_charts instead)."""
    if isinstance(chart, BarChart):
        return bar_chart(
            chart.categories,
            chart.values,
            value_label=chart.value_label,
            value_format=chart.value_format,
            width_mm=chart.width_mm,
            height_mm=chart.height_mm,
        )
    return grouped_bar_chart(
        chart.categories,
        dict(chart.series),
        horizontal=True,
        reference=chart.reference,
        percent=chart.percent,
        width_mm=chart.width_mm,
        height_mm=chart.height_mm,
    )
