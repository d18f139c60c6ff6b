"""Tables and figures as reportlab flowables."""

from __future__ import annotations

import copy
import io

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from app.reports import layout
from app.reports.layout import FontRole
from app.reports.model import Align, BarChart, Figure, GroupedBarChart, Table
from app.reports.pdf_charts import drawing
from app.reports.pdf_span_table import SpanSplittingTable
from app.reports.pdf_styles import TABLE_ALIGN, PdfStyles

PAD = layout.TABLE_CELL_PADDING_PT
MM = 1 / layout.MM_PER_PT
SPACE_AFTER_TABLE_PT = 6  # half a line, so the text below does not touch the table's rule


COMPACT_LEADING_FACTOR = 1.1
MIN_FIGURE_SCALE = 0.6  # a chart shrinks to this much of its size before it moves on
TIGHTEST = 0.8  # the closest line spacing of the last paragraph and the signature


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
        fitted = layout.shrink_size(cell.text, text_w, avail, size, cell.one_line)
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
    if isinstance(figure.image, BarChart | GroupedBarChart):
        img_w, img_h = figure.image.width_mm, figure.image.height_mm
    else:
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
    if isinstance(figure.image, BarChart | GroupedBarChart):
        image: bytes | Drawing = drawing(figure.image, styles.font(FontRole.HEI))
    else:
        image = figure.image_bytes()
    return [FittedFigure(image, width, height, caption)]


class FittedFigure(Flowable):
    """A chart with its caption below, shrunk into the rest of a page (down to
    MIN_FIGURE_SCALE) rather than leaving that rest blank and moving to the next page."""

    def __init__(
        self, data: bytes | Drawing, width: float, height: float, caption: Flowable | None
    ) -> None:
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
        x = (self.avail_w - w) / 2
        if isinstance(self.data, Drawing):
            self.canv.saveState()
            self.canv.translate(x, self.caption_h)
            self.canv.scale(w / self.data.width, h / self.data.height)
            renderPDF.draw(self.data, self.canv, 0, 0)
            self.canv.restoreState()
        else:
            self.canv.drawImage(ImageReader(io.BytesIO(self.data)), x, self.caption_h, w, h)
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, 0)


class FloatingFigure(Flowable):
    """A chart that does not fit the rest of its page lets the text after it fill that rest
    (as a floating figure does in Word): the paragraphs that fit go first, the chart follows
    at the top of the next page, then the rest of the text. A table after the chart that
    can start on the page moves before the chart whole, splitting as tables do; the chart
    comes after its last row (a table's parts never sit on both sides of the chart).

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
        followers = self.followers
        for i, follower in enumerate(followers):
            if isinstance(follower, CondPageBreak):  # a heading's keep: test it, never wrap it
                if room < follower.height:
                    break
                placed.append(follower)
                continue
            expand = getattr(follower, "expand", None)  # a table, built when layout is here
            if expand is not None:
                built = expand()
                need = sum(f.height for f in built if isinstance(f, CondPageBreak))
                whole = [f for f in built if not isinstance(f, CondPageBreak)]
                height = sum(_height(f, availWidth, room) for f in whole)
                if height <= room:
                    placed += whole
                    room -= height
                    continue
                if need > room:
                    break
                # The table starts here and runs on; the chart follows it, still floating.
                rest = followers[i + 1 :]
                after = FloatingFigure(self.figure, rest) if rest else self.figure
                return [*placed, *whole, after]
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
        else:
            i = len(followers)
        while placed and (isinstance(placed[-1], CondPageBreak) or _is_heading(placed[-1])):
            placed.pop()  # a heading stays with its text, after the chart
            i -= 1
        if not placed:
            return []  # nothing fits: the next page, where the chart goes first
        return [*placed, self.figure, *followers[i:]]


def _height(flowable: Flowable, width: float, room: float) -> float:
    """Height with the space around, as a frame would take it."""
    height: float = flowable.wrap(width, room)[1]
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _is_heading(flowable: Flowable) -> bool:
    return getattr(flowable, "is_heading", False)


class KeptWithSignature(KeepTogether):
    """The body's last paragraph with the signature below it. When the two do not fit the
    rest of the page, their line spacing closes up to TIGHTEST (GB/T 9704 §7.3.5.4: 调整
    行距); failing that, the paragraph fills the rest of the page and only its last lines go
    on with the signature, so the page before is not left a quarter blank."""

    def __init__(self, paragraph: RLParagraph, signature: list[Flowable]) -> None:
        super().__init__([paragraph, *signature])
        self.paragraph, self.signature = paragraph, signature

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        p = self.paragraph
        if self._H * TIGHTEST <= aH < self._H:
            factor = (aH - 0.5) / self._H
            return [_tightened(f, factor) for f in self._content]
        if aH < self._H:
            p.wrap(aW, 0x7FFFFFFF)
            lines = len(p.blPara.lines)
            first = min(int((aH - p.getSpaceBefore()) // p.style.leading), lines - 1)
            if first >= 1:
                p.allowOrphans = 1  # one line at the page foot beats a third of a page blank
                parts = p.split(aW, p.getSpaceBefore() + first * p.style.leading + 0.01)
                if len(parts) == 2:
                    return [parts[0], KeptWithSignature(parts[1], self.signature)]
        result: list[Flowable] = super().split(aW, aH)
        return result


def _tightened(flowable: Flowable, factor: float) -> Flowable:
    """A copy of a paragraph or spacer with its line spacing and spaces scaled by `factor`."""
    if isinstance(flowable, RLParagraph):
        style = copy.copy(flowable.style)
        style.leading *= factor
        style.spaceBefore *= factor
        style.spaceAfter *= factor
        return RLParagraph(flowable.text, style)
    if isinstance(flowable, Spacer):
        return Spacer(flowable.width, flowable.height * factor)
    return flowable
