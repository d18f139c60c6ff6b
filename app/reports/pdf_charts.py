"""The document model's charts as PDF vector graphics (reportlab.graphics, no matplotlib).

They follow the PNG charts of app/reports/charts.py (the .docx's): bars with their values,
no top/right spines, ticks outside, the legend below; text in the 黑体 role's face. Drawn
as vectors they stay sharp at any zoom and cost no image decoding.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports import layout
from app.reports.chart_colours import GRADE_COLOURS, PALETTE, REFERENCE_COLOUR
from app.reports.model import BarChart, Chart, GroupedBarChart

MM = 1 / layout.MM_PER_PT
PAD = 5.0  # around the drawing
TICK = 3.5  # tick length, outside the axes
TEXT_PT = 9.0
VALUE_PT = 8.0  # the grouped bars' value labels
SPINE = 0.8
BASELINE_SHIFT = 0.35  # of the font size: centres digits and CJK on a point vertically


def drawing(chart: Chart, font: str) -> Drawing:
    """The chart at its printed size (points)."""
    d = _bar_chart(chart, font) if isinstance(chart, BarChart) else _grouped_bar_chart(chart, font)
    d.initialFontName = font  # else the renderer starts with an unembedded Helvetica
    # On white, as the PNG charts: a draft's watermark stays behind the chart.
    d.insert(0, Rect(0, 0, d.width, d.height, fillColor=white, strokeColor=None))
    return d


def nice_ticks(upper: float, most: int = 6) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 × 10ⁿ) up to `upper`, at most `most` + 1 of them."""
    if upper <= 0:
        return [0.0]
    raw = upper / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(i * step, 10) for i in range(int(upper / step + 1e-9) + 1)]


def _text(x: float, y: float, text: str, font: str, size: float, anchor: str) -> String:
    return String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=black)


def _spines(d: Drawing, left: float, bottom: float, right: float, top: float) -> None:
    d.add(Line(left, bottom, left, top, strokeWidth=SPINE, strokeColor=black))
    d.add(Line(left, bottom, right, bottom, strokeWidth=SPINE, strokeColor=black))


def _bar_chart(chart: BarChart, font: str) -> Drawing:
    width, height = chart.width_mm * MM, chart.height_mm * MM
    d = Drawing(width, height)
    upper = (max(chart.values, default=0) or 1) * 1.15  # room for the labels on top
    ticks = nice_ticks(upper)
    labels = [f"{t:g}" for t in ticks]
    left = PAD + max(stringWidth(s, font, TEXT_PT) for s in labels) + 2 + TICK
    if chart.value_label:
        left += TEXT_PT + 4
        y = height / 2
        label = _text(0, 0, chart.value_label, font, TEXT_PT, "middle")
        turned = Group(label)
        turned.translate(PAD + TEXT_PT * 0.8, y)
        turned.rotate(90)
        d.add(turned)
    bottom = PAD + TEXT_PT + 4 + TICK
    right, top = width - PAD, height - PAD
    scale = (top - bottom) / upper
    for tick, text in zip(ticks, labels, strict=True):
        y = bottom + tick * scale
        d.add(Line(left - TICK, y, left, y, strokeWidth=SPINE, strokeColor=black))
        d.add(_text(left - TICK - 2, y - TEXT_PT * BASELINE_SHIFT, text, font, TEXT_PT, "end"))
    slot = (right - left) / max(len(chart.categories), 1)
    for i, (name, value) in enumerate(zip(chart.categories, chart.values, strict=True)):
        colour = HexColor(GRADE_COLOURS.get(name, PALETTE[i % len(PALETTE)]))
        centre = left + slot * (i + 0.5)
        bar = slot * 0.6
        d.add(_bar(centre - bar / 2, bottom, bar, value * scale, colour))
        shown = chart.value_format.format(value)
        d.add(_text(centre, bottom + value * scale + 2, shown, font, TEXT_PT, "middle"))
        d.add(Line(centre, bottom, centre, bottom - TICK, strokeWidth=SPINE, strokeColor=black))
        d.add(_text(centre, bottom - TICK - 3 - TEXT_PT * 0.8, name, font, TEXT_PT, "middle"))
    _spines(d, left, bottom, right, top)
    return d


def _bar(x: float, y: float, w: float, h: float, colour: Color) -> Rect:
    return Rect(x, y, w, h, fillColor=colour, strokeColor=None, strokeWidth=0)


def _grouped_bar_chart(chart: GroupedBarChart, font: str) -> Drawing:
    width, height = chart.width_mm * MM, chart.height_mm * MM
    d = Drawing(width, height)
    values = [v for _name, series in chart.series for v in series]
    if chart.reference is not None:
        values.append(chart.reference[0])
    upper = (max(values, default=0) or 1) * 1.12  # room for the value labels
    ticks = nice_ticks(upper)
    suffix = "%" if chart.percent else ""
    names = chart.categories
    left = PAD + max((stringWidth(n, font, TEXT_PT) for n in names), default=0) + 2 + TICK
    legend_y = PAD
    bottom = legend_y + TEXT_PT + 8 + TEXT_PT + 2 + TICK
    right, top = width - PAD - 4, height - PAD
    scale = (right - left) / upper
    for tick in ticks:
        x = left + tick * scale
        d.add(Line(x, bottom - TICK, x, bottom, strokeWidth=SPINE, strokeColor=black))
        d.add(
            _text(
                x, bottom - TICK - 2 - TEXT_PT * 0.8, f"{tick:g}{suffix}", font, TEXT_PT, "middle"
            )
        )
    slot = (top - bottom) / max(len(names), 1)
    group = slot * 0.8
    bar = group / max(len(chart.series), 1)
    for i, name in enumerate(names):
        centre = top - slot * (i + 0.5)  # the first category on top, as in the table
        d.add(Line(left - TICK, centre, left, centre, strokeWidth=SPINE, strokeColor=black))
        d.add(_text(left - TICK - 2, centre - TEXT_PT * BASELINE_SHIFT, name, font, TEXT_PT, "end"))
        for j, (_series, series_values) in enumerate(chart.series):
            value = series_values[i]
            y = centre + group / 2 - bar * (j + 0.5)
            colour = HexColor(PALETTE[j % len(PALETTE)])
            d.add(_bar(left, y - bar * 0.45, value * scale, bar * 0.9, colour))
            shown = f"{value:.2f}%" if chart.percent else f"{value:g}"
            x = left + value * scale + 2
            d.add(_text(x, y - VALUE_PT * BASELINE_SHIFT, shown, font, VALUE_PT, "start"))
    reference = HexColor(REFERENCE_COLOUR)
    if chart.reference is not None:
        x = left + chart.reference[0] * scale
        d.add(_dashed(x, bottom, x, top, reference))
    _spines(d, left, bottom, right, top)
    _legend(d, chart, font, width, legend_y, reference)
    return d


def _dashed(x1: float, y1: float, x2: float, y2: float, colour: Color) -> Line:
    return Line(x1, y1, x2, y2, strokeWidth=1, strokeColor=colour, strokeDashArray=[3.7, 1.6])


def _legend(
    d: Drawing, chart: GroupedBarChart, font: str, width: float, y: float, reference: Color
) -> None:
    """One row below the axes, centred: a dashed stroke for the line, a swatch per series."""
    entries: list[tuple[str, Color | None]] = (
        []
        if chart.reference is None
        else [
            (chart.reference[1], None)  # lines before bars, as matplotlib orders its legend
        ]
    )
    entries += [
        (name, HexColor(PALETTE[j % len(PALETTE)])) for j, (name, _v) in enumerate(chart.series)
    ]
    swatch, gap, spacing = 14.0, 4.0, 14.0
    total = sum(swatch + gap + stringWidth(n, font, TEXT_PT) for n, _c in entries)
    x = (width - total - spacing * (len(entries) - 1)) / 2
    middle = y + TEXT_PT * BASELINE_SHIFT
    for name, colour in entries:
        if colour is None:
            d.add(_dashed(x, middle, x + swatch, middle, reference))
        else:
            d.add(_bar(x, middle - 3.5, swatch, 7, colour))
        x += swatch + gap
        d.add(_text(x, y, name, font, TEXT_PT, "start"))
        x += stringWidth(name, font, TEXT_PT) + spacing
