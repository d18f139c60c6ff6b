"""Tables in .docx, built row by row in XML.

python-docx's `table.cell()` recomputes the whole grid on every call (quadratic on long
tables) and `merge()` moves text around; writing `w:gridSpan`/`w:vMerge` directly is
linear and gives merged cells exactly one paragraph.
"""

from __future__ import annotations

import math

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell

from app.reports import docx_xml, layout, model
from app.reports.docx_styles import DocxStyles, add_paragraph, set_run_font, set_style
from app.reports.layout import FontRole, PageGeometry

SPACE_AFTER_TABLE_PT = 6  # same gap as the PDF: body text must not touch the table's rule

_ALIGN = {
    model.Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    model.Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    model.Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    model.Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _widths(table: model.Table, geometry: PageGeometry) -> list[int]:
    """Integer twips that add up to the 版心 width exactly."""
    total = layout.text_width_twips(geometry)
    raw = layout.column_widths([c.width for c in table.columns], total)
    widths = [int(w) for w in raw]
    widths[-1] += total - sum(widths)
    return widths


def add_table(
    document: DocxDocument, table: model.Table, geometry: PageGeometry, styles: DocxStyles
) -> None:
    if table.caption:
        caption = add_paragraph(document, styles.caption, table.caption)
        caption.paragraph_format.keep_with_next = True
        set_run_font(caption.runs[0], FontRole.HEI)
    if table.unit:
        unit = add_paragraph(document, styles.unit, table.unit)
        set_run_font(unit.runs[0], FontRole.SONG, max(table.font_size, 12))
    widths = _widths(table, geometry)
    # Document.add_table and the `style` setter search the whole document (for the last
    # section and the style by name) on every call: quadratic in a 2,000-table book.
    body = document._body
    doc_table = body.add_table(0, len(widths), Twips(sum(widths)))
    doc_table._tbl.tblPr.style = styles.table_grid_id
    doc_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    doc_table.autofit = False
    docx_xml.set_table_grid(doc_table, widths)
    docx_xml.set_cell_margins(doc_table, round(layout.TABLE_CELL_PADDING_PT * 20))
    _fill(doc_table, table, widths, styles)
    _space_after(document, styles)


def _space_after(document: DocxDocument, styles: DocxStyles) -> None:
    """Word has no space-after for a table: an empty paragraph exactly 6 pt high stands in."""
    gap = add_paragraph(document, styles.body)
    fmt = gap.paragraph_format
    fmt.first_line_indent = 0
    fmt.space_before = fmt.space_after = 0
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(SPACE_AFTER_TABLE_PT)


def _fill(doc_table: DocxTable, table: model.Table, widths: list[int], styles: DocxStyles) -> None:
    starts: dict[tuple[int, int], model.PlacedCell] = {}
    continues: dict[tuple[int, int], model.PlacedCell] = {}
    for pc in table.grid():
        starts[(pc.row, pc.col)] = pc
        for dr in range(1, pc.cell.rowspan):
            continues[(pc.row + dr, pc.col)] = pc
    nheader = len(table.header_rows)
    ncols = len(widths)
    for r in range(table.row_count):
        tr = docx_xml.new_row(doc_table, header=table.repeat_header and r < nheader)
        c = 0
        while c < ncols:
            found = starts.get((r, c)) or continues.get((r, c))
            if found is None:  # never happens for a validated grid
                raise ValueError(f"表格第{r + 1}行第{c + 1}列缺少单元格")
            pc = found
            span = pc.cell.colspan
            width = sum(widths[c : c + span])
            if pc.row == r:
                vmerge = "restart" if pc.cell.rowspan > 1 else None
                tc = docx_xml.new_cell(tr, width, span, vmerge)
                _write(_Cell(tc, doc_table), pc, table, styles, width)
            else:
                tc = docx_xml.new_cell(tr, width, span, "continue")
                tc.p_lst[0].style = styles.table_text.style_id
            c += span


def _write(
    cell: _Cell, pc: model.PlacedCell, table: model.Table, styles: DocxStyles, width: int
) -> None:
    para = cell.paragraphs[0]
    set_style(para, styles.table_text)
    default = model.Align.CENTER if pc.header else table.columns[pc.col].align
    align = pc.cell.align or default
    if align is not model.Align.CENTER:
        para.alignment = _ALIGN[align]
    lines = pc.cell.text.split("\n")
    run = para.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)
    role = FontRole.HEI if pc.header or pc.cell.bold else FontRole.SONG
    size = table.font_size
    avail = width / 20 - 2 * layout.TABLE_CELL_PADDING_PT
    fitted = layout.shrink_size(pc.cell.text, layout.em_width(pc.cell.text) * size, avail, size)
    if fitted is not None and fitted < size:
        size = math.floor(fitted * 2) / 2  # Word sizes in half points; round down to fit
    set_run_font(run, role, size)
