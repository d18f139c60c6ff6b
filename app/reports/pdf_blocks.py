"""Tables and figures as reportlab flowables."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Image, Spacer, TableStyle

from app.reports import layout
from app.reports.layout import FontRole
from app.reports.model import Align, Figure, Table
from app.reports.pdf_span_table import SpanSplittingTable
from app.reports.pdf_styles import TABLE_ALIGN, PdfStyles

PAD = layout.TABLE_CELL_PADDING_PT
MM = 1 / layout.MM_PER_PT
SPACE_AFTER_TABLE_PT = 6  # half a line, so the text below does not touch the table's rule


def table_flowables(table: Table, width_pt: float, styles: PdfStyles) -> list[Flowable]:
    """Caption, unit line and the table itself, sized to `width_pt` (the 版心 width)."""
    # Start on a new page only when the caption and a few rows would not fit: keeping the
    # caption with the whole table would push every long table to a fresh page.
    # A short closing table (three rows) keeps its page when it fits there.
    rows = len(table.header_rows) + min(3, len(table.body_rows))
    need = rows * table.font_size * 2.2 + (22 if table.caption else 0) + (16 if table.unit else 0)
    out: list[Flowable] = [CondPageBreak(need + 6)]
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
    song, hei = styles.font(FontRole.SONG), styles.font(FontRole.HEI)
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), song),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * layout.TABLE_LEADING_FACTOR),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
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
            data[r][c] = styles.para(cell.text, styles.cell(role, size, align))
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


def figure_flowables(
    figure: Figure, frame_w: float, frame_h: float, styles: PdfStyles
) -> list[Flowable]:
    data = figure.image_bytes()
    img_w, img_h = ImageReader(io.BytesIO(data)).getSize()
    width = min(figure.width_mm * MM, frame_w)
    height = width * img_h / img_w
    if height > frame_h * 0.85:  # leave room for the caption on the same page
        height = frame_h * 0.85
        width = height * img_w / img_h
    image = Image(io.BytesIO(data), width=width, height=height)
    image.hAlign = "CENTER"
    out: list[Flowable] = [Spacer(1, 6), image]
    if figure.caption:
        image.keepWithNext = 1
        out.append(styles.para(figure.caption, styles.variant(styles.caption, spaceBefore=4)))
    out.append(Spacer(1, 6))
    return out
