"""Tables and figures as reportlab flowables."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, TableStyle

from app.reports import layout
from app.reports.layout import FontRole
from app.reports.model import Align, Figure, Table
from app.reports.pdf_span_table import SpanSplittingTable
from app.reports.pdf_styles import TABLE_ALIGN, PdfStyles

PAD = layout.TABLE_CELL_PADDING_PT
MM = 1 / layout.MM_PER_PT
SPACE_AFTER_TABLE_PT = 6  # half a line, so the text below does not touch the table's rule


COMPACT_LEADING_FACTOR = 1.1
MIN_FIGURE_SCALE = 0.6  # a chart shrinks to this much of its size before it moves on


def table_need(table: Table) -> float:
    """Height the caption and the first rows need on a page (points)."""
    # Start on a new page only when the caption and a few rows would not fit: keeping the
    # caption with the whole table would push every long table to a fresh page.
    # A short closing table (three rows) keeps its page when it fits there.
    rows = len(table.header_rows) + min(3, len(table.body_rows))
    row_height = table.font_size * (1.4 if table.compact else 1.7)  # one line and padding
    need = rows * row_height + (22 if table.caption else 0) + (16 if table.unit else 0)
    return need + 6


def table_flowables(table: Table, width_pt: float, styles: PdfStyles) -> list[Flowable]:
    """Caption, unit line and the table itself, sized to `width_pt` (the 版心 width)."""
    out: list[Flowable] = [CondPageBreak(table_need(table))]
    if table.caption:
        out.append(styles.para(table.caption, styles.variant(styles.caption, keepWithNext=0)))
    if table.unit:
        unit_style = styles.variant(
            styles.cell(FontRole.SONG, max(table.font_size, 12), Align.RIGHT),
            alignment=TA_RIGHT,
            spaceBefore=2,
            spaceAfter=2,
        )
        out.append(styles.para(table.unit, unit_style))
    out.append(_table(table, width_pt, styles))
    return out


def _table(table: Table, width_pt: float, styles: PdfStyles) -> SpanSplittingTable:
    widths = layout.column_widths([c.width for c in table.columns], width_pt)
    nheader = len(table.header_rows)
    size = table.font_size
    leading = size * (COMPACT_LEADING_FACTOR if table.compact else layout.TABLE_LEADING_FACTOR)
    vpad = 0.5 if table.compact else 2
    song, hei = styles.font(FontRole.SONG), styles.font(FontRole.HEI)
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), song),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), vpad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vpad),
    ]
    for col, column in enumerate(table.columns):
        cmds.append(("ALIGN", (col, nheader), (col, -1), TABLE_ALIGN[column.align]))
    if nheader:
        cmds.append(("FONTNAME", (0, 0), (-1, nheader - 1), hei))
        cmds.append(("ALIGN", (0, 0), (-1, nheader - 1), "CENTER"))
    data: list[list[object]] = [[""] * len(widths) for _ in range(table.row_count)]
    for pc in table.grid():
        cell, r, c = pc.cell, pc.row, pc.col
        default = Align.CENTER if pc.header else table.columns[c].align
        align = cell.align or default
        role = FontRole.HEI if pc.header or cell.bold else FontRole.SONG
        font = styles.font(role)
        avail = sum(widths[c : c + cell.colspan]) - 2 * PAD
        # Plain strings draw much faster than Paragraphs; wrap only what does not fit.
        # ...and a text needing a fallback face for some glyph must be a Paragraph too.
        plain = "\n" not in cell.text and styles.fallback.covers(cell.text, font)
        text_w = stringWidth(cell.text, font, size) if plain else 1e9
        fitted = layout.shrink_size(cell.text, text_w, avail, size)
        if fitted is not None:
            data[r][c] = cell.text
            if fitted < size:
                cmds.append(("FONTSIZE", (c, r), (c, r), fitted))
            if align is not default:
                cmds.append(("ALIGN", (c, r), (c, r), TABLE_ALIGN[align]))
            if cell.bold and not pc.header:
                cmds.append(("FONTNAME", (c, r), (c, r), font))
        else:
            style = styles.cell(role, size, align)
            if table.compact:
                style = styles.variant(style, leading=leading)
            data[r][c] = styles.para(cell.text, style)
        if cell.colspan > 1 or cell.rowspan > 1:
            end = (c + cell.colspan - 1, r + cell.rowspan - 1)
            cmds.append(("SPAN", (c, r), end))
    # Merged cells may cross a page: SpanSplittingTable cuts them there (see its module).
    rl_table = SpanSplittingTable(
        data,
        colWidths=widths,
        repeatRows=nheader if table.repeat_header else 0,
        splitInRow=1,  # a cell taller than a page (long 总体目标 text) must split, not fail
        style=TableStyle(cmds),
        hAlign="CENTER",
        spaceAfter=SPACE_AFTER_TABLE_PT,  # frame-clipped at a page foot, unlike a Spacer
    )
    return rl_table


def figure_size(figure: Figure, frame_w: float, frame_h: float) -> tuple[float, float]:
    """The printed size (points) of the figure's image: its width, at most 85% of a page."""
    img_w, img_h = ImageReader(io.BytesIO(figure.image_bytes())).getSize()
    width = min(figure.width_mm * MM, frame_w)
    height = width * img_h / img_w
    if height > frame_h * 0.85:  # leave room for the caption on the same page
        height = frame_h * 0.85
        width = height * img_w / img_h
    return width, height


def figure_flowables(
    figure: Figure, frame_w: float, frame_h: float, styles: PdfStyles
) -> list[Flowable]:
    width, height = figure_size(figure, frame_w, frame_h)
    caption = None
    if figure.caption:
        caption = styles.para(figure.caption, styles.variant(styles.caption, keepWithNext=0))
    return [FittedFigure(figure.image_bytes(), width, height, caption)]


class FittedFigure(Flowable):
    """A chart with its caption below, shrunk into the rest of a page (down to
    MIN_FIGURE_SCALE) rather than leaving that rest blank and moving to the next page."""

    def __init__(self, data: bytes, width: float, height: float, caption: Flowable | None):
        super().__init__()
        self.data, self.img_w, self.img_h, self.caption = data, width, height, caption
        self.scale = 1.0
        self.caption_h = 0.0
        self.spaceBefore = self.spaceAfter = 6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail_w = availWidth
        self.caption_h = self.caption.wrap(availWidth, availHeight)[1] + 4 if self.caption else 0
        self.scale = 1.0
        room = (availHeight - self.caption_h) / self.img_h
        if MIN_FIGURE_SCALE <= room < 1:
            self.scale = room
        return availWidth, self.img_h * self.scale + self.caption_h

    def draw(self) -> None:
        w, h = self.img_w * self.scale, self.img_h * self.scale
        reader = ImageReader(io.BytesIO(self.data))
        self.canv.drawImage(reader, (self.avail_w - w) / 2, self.caption_h, w, h)
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, 0)


class FloatingFigure(Flowable):
    """A chart that does not fit the rest of its page lets the text after it fill that rest
    (as a floating figure does in Word): the paragraphs that fit go first, the chart follows
    at the top of the next page, then the rest of the text.

    It is never drawn itself: its height always exceeds the room, so platypus asks `split`,
    which hands back the parts in the order they print.
    """

    def __init__(self, figure: FittedFigure, followers: list[Flowable]) -> None:
        super().__init__()
        self.figure, self.followers = figure, followers

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 1

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.figure.wrap(availWidth, availHeight)[1] <= availHeight:
            return [self.figure, *self.followers]
        room, placed = availHeight, []
        for i, follower in enumerate(self.followers):
            if isinstance(follower, CondPageBreak):  # a heading's keep: test it, never wrap it
                if room < follower.height:
                    break
                placed.append(follower)
                continue
            height = follower.wrap(availWidth, room)[1] + follower.getSpaceBefore()
            if height <= room:
                placed.append(follower)
                room -= height + follower.getSpaceAfter()
                continue
            parts = follower.split(availWidth, room)
            if parts:
                rest = [*parts[1:], *self.followers[i + 1 :]]
                return [*placed, parts[0], self.figure, *rest]
            break
        while placed and (isinstance(placed[-1], CondPageBreak) or _is_heading(placed[-1])):
            placed.pop()  # a heading stays with its text, after the chart
        if not placed:
            return []  # nothing fits: the next page, where the chart goes first
        return [*placed, self.figure, *self.followers[len(placed) :]]


def _is_heading(flowable: Flowable) -> bool:
    return getattr(flowable, "is_heading", False)
