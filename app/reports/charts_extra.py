"""More report charts (stacked bars, lines) in the style of charts.py, as PNG bytes.

Kept apart from charts.py so parallel work on either does not collide. Colours come from
the caller (e.g. the warning-lamp palette); `hatches` and value labels keep series apart
when a page is printed in greyscale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from app.reports.charts import PALETTE, chart_font, new_figure, png, style_axes


def stacked_bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str | None = None,
    value_label: str | None = None,
    colours: Sequence[str] | None = None,
    hatches: Sequence[str] | None = None,
    horizontal: bool = False,
    width_mm: float = 150,
    height_mm: float = 80,
) -> bytes:
    """One bar per category made of one segment per series, each segment labelled with
    its value (segments of 0 stay unlabelled), e.g. lamp counts by 股室."""
    font = chart_font()
    small = font.copy()
    small.set_size(8)
    fig = new_figure(width_mm, height_mm)
    ax = fig.add_subplot()
    positions = list(range(len(categories)))
    base = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        colour = colours[i] if colours else PALETTE[i % len(PALETTE)]
        hatch = hatches[i] if hatches else None
        style: dict[str, Any] = {
            "label": name, "color": colour, "hatch": hatch, "edgecolor": "white", "linewidth": 0.5
        }  # fmt: skip
        if horizontal:
            bars = ax.barh(positions, list(values), 0.6, left=list(base), **style)
        else:
            bars = ax.bar(positions, list(values), 0.6, bottom=list(base), **style)
        labels = [f"{v:g}" if v else "" for v in values]
        for text in ax.bar_label(bars, labels=labels, label_type="center"):
            text.set_fontproperties(small)
            text.set_color(_text_colour(colour))
            # A patch of the segment's own colour keeps the label clear of the hatching.
            text.set_bbox({"boxstyle": "round,pad=0.2", "facecolor": colour, "edgecolor": "none"})
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, list(categories))
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, list(categories))
    fig.legend(prop=small, frameon=False, loc="outside lower center", ncol=max(len(series), 1))
    style_axes(ax, font, title, value_label)
    return png(fig)


def line_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str | None = None,
    value_label: str | None = None,
    percent: bool = False,
    colours: Sequence[str] | None = None,
    width_mm: float = 150,
    height_mm: float = 80,
) -> bytes:
    """A line per series across categories (e.g. rounds), each point labelled with its
    value; None leaves a gap. Values are percentages when `percent`."""
    font = chart_font()
    small = font.copy()
    small.set_size(8)
    fig = new_figure(width_mm, height_mm)
    ax = fig.add_subplot()
    positions = list(range(len(categories)))
    markers = ("o", "s", "^", "D")
    styles = ("-", "--", "-.", ":")
    suffix = "%" if percent else ""
    for i, (name, values) in enumerate(series.items()):
        colour = colours[i] if colours else PALETTE[i % len(PALETTE)]
        ys = [float("nan") if v is None else v for v in values]
        ax.plot(
            positions,
            ys,
            label=name,
            color=colour,
            marker=markers[i % len(markers)],
            linestyle=styles[i % len(styles)],
            linewidth=1.5,
        )
        others = [other for other_name, other in series.items() if other_name != name]
        for x, v in zip(positions, values, strict=True):
            if v is not None:
                # Above the point when this line is the highest there, else below it.
                highest = all(o[x] is None or v >= o[x] for o in others)  # type: ignore[operator]
                ax.annotate(
                    f"{v:.2f}{suffix}" if percent else f"{v:g}",
                    (x, v),
                    textcoords="offset points",
                    xytext=(0, 7 if highest else -14),
                    ha="center",
                    fontproperties=small,
                    color=colour,
                )
    ax.set_xticks(positions, list(categories))
    ax.margins(x=0.08, y=0.18)
    if percent:
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}%")
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    fig.legend(prop=small, frameon=False, loc="outside lower center", ncol=max(len(series), 1))
    style_axes(ax, font, title, value_label)
    return png(fig)


def progress_bar_chart(
    categories: Sequence[str],
    values: Sequence[float | None],
    reference: tuple[float, str],
    colours: Sequence[str],
    legend: Mapping[str, str] | None = None,
    title: str | None = None,
    width_mm: float = 150,
) -> bytes:
    """Horizontal percentage bars, one per category, each labelled with its value and
    coloured by the caller (e.g. by lamp), against a reference line such as 序时进度;
    None draws no bar and says "无预算". `legend` maps labels to colours. The chart grows
    with the number of categories; the axis is repeated on top for long charts."""
    font = chart_font()
    small = font.copy()
    small.set_size(8)
    fig = new_figure(width_mm, max(50.0, 5.2 * len(categories) + 30))
    ax = fig.add_subplot()
    positions = list(range(len(categories)))
    drawn = [0.0 if v is None else v for v in values]
    bars = ax.barh(positions, drawn, 0.7, color=list(colours))
    labels = ["无预算" if v is None else f"{v:.2f}%" for v in values]
    value, name = reference
    ax.axvline(value, color="#444444", linestyle="--", linewidth=1, zorder=0.5)
    for text in ax.bar_label(bars, labels=labels, padding=2):
        text.set_fontproperties(small)
        text.set_bbox({"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_yticks(positions, list(categories))
    ax.set_ylim(len(categories) - 0.5, -0.5)  # first category on top, no empty band
    ax.set_xlim(0, max([value, *drawn]) * 1.15 or 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}%")
    ax.tick_params(axis="x", top=True, labeltop=len(categories) > 15)
    handles: list[Artist] = [Patch(color=c, label=label) for label, c in (legend or {}).items()]
    handles.append(Line2D([], [], color="#444444", linestyle="--", label=name))
    fig.legend(
        handles=handles, prop=small, frameon=False, loc="outside lower center", ncol=len(handles)
    )
    style_axes(ax, font, title, None)
    for tick in ax.get_xticklabels(minor=False):
        tick.set_fontproperties(small)
    return png(fig)


def _text_colour(background: str) -> str:
    """Black on light fills, white on dark ones (by perceived luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"
