"""Tables in .docx, written as WordprocessingML text.

python-docx builds a table cell by cell through lxml (`table.cell()` even recomputes the
grid on every call): 2,200 goal tables took minutes and a gigabyte. The table here is one
string, made from a few templates, which the renderer streams into document.xml; merged
cells are `w:gridSpan`/`w:vMerge` with exactly one paragraph.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from app.reports import layout, model
from app.reports.docx_styles import DocxStyles, add_paragraph, docx_font, set_run_font
from app.reports.layout import FontRole, PageGeometry

SPACE_AFTER_TABLE_PT = 6  # same gap as the PDF: body text must not touch the table's rule


def _widths(table: model.Table, geometry: PageGeometry) -> list[int]:
    """Integer twips that add up to the 版心 width exactly."""
    total = layout.text_width_twips(geometry)
    raw = layout.column_widths([c.width for c in table.columns], total)
    widths = [int(w) for w in raw]
    widths[-1] += total - sum(widths)
    return widths


def add_table(
    document: DocxDocument,
    table: model.Table,
    geometry: PageGeometry,
    styles: DocxStyles,
    place: Callable[[str], None],
) -> None:
    """Caption and unit as paragraphs, then the table's XML handed to `place` (which puts it
    after them in the body), then the gap below."""
    if table.caption:
        caption = add_paragraph(document, styles.caption, table.caption)
        caption.paragraph_format.keep_with_next = True
        set_run_font(caption.runs[0], FontRole.HEI)
    if table.unit:
        unit = add_paragraph(document, styles.unit, table.unit)
        set_run_font(unit.runs[0], FontRole.SONG, max(table.font_size, 12))
    place(table_xml(table, _widths(table, geometry), styles))
    _space_after(document, styles)


def _space_after(document: DocxDocument, styles: DocxStyles) -> None:
    """Word has no space-after for a table: an empty paragraph exactly 6 pt high stands in."""
    gap = add_paragraph(document, styles.body)
    fmt = gap.paragraph_format
    fmt.first_line_indent = 0
    fmt.space_before = fmt.space_after = 0
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(SPACE_AFTER_TABLE_PT)


def table_xml(table: model.Table, widths: list[int], styles: DocxStyles) -> str:
    """The `w:tbl` element as text, prefix `w:` (declared by document.xml's root)."""
    margin = round(layout.TABLE_CELL_PADDING_PT * 20)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{_attr(styles.table_grid_id)}"/>'
        f'<w:tblW w:type="dxa" w:w="{sum(widths)}"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
        f'<w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0"'
        ' w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    cells = _Cells(table, styles)
    starts: dict[tuple[int, int], model.PlacedCell] = {}
    continues: dict[tuple[int, int], model.PlacedCell] = {}
    for pc in table.grid():
        starts[(pc.row, pc.col)] = pc
        for dr in range(1, pc.cell.rowspan):
            continues[(pc.row + dr, pc.col)] = pc
    nheader = len(table.header_rows)
    ncols = len(widths)
    for r in range(table.row_count):
        header = table.repeat_header and r < nheader
        out.append(_ROW_HEADER if header else _ROW)
        c = 0
        while c < ncols:
            found = starts.get((r, c)) or continues.get((r, c))
            if found is None:  # never happens for a validated grid
                raise ValueError(f"表格第{r + 1}行第{c + 1}列缺少单元格")
            span = found.cell.colspan
            width = sum(widths[c : c + span])
            if found.row == r:
                out.append(cells.start(found, width))
            else:
                out.append(cells.continued(width, span))
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"  # rows never split across pages
_ROW_HEADER = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"  # repeated on each page
_JC = {
    model.Align.LEFT: "left",
    model.Align.RIGHT: "right",
    model.Align.JUSTIFY: "both",
}
# Control characters are not allowed in XML; a tab is Word's own element.
_CONTROL = {i: None for i in range(32) if i not in (9, 10)}


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


LATIN_FONT = "Times New Roman"


class _Cells:
    """Cell XML from cached pieces: the paragraph style and run fonts are the same text for
    every cell of a table."""

    def __init__(self, table: model.Table, styles: DocxStyles) -> None:
        self.table = table
        self.style = f'<w:pStyle w:val="{_attr(styles.table_text.style_id)}"/>'
        self._fonts: dict[FontRole, str] = {}

    def _font(self, role: FontRole) -> str:
        """Chinese in the role's face; digits and Latin in Times New Roman, whose widths
        `layout.em_width` assumes when it fits a code or an amount to its column (LibreOffice
        draws it as the metric-compatible Liberation Serif; a missing 宋体 would otherwise
        fall back to a wide sans and break "102001002" in two)."""
        if role not in self._fonts:
            name, latin = _attr(docx_font(role)), LATIN_FONT
            self._fonts[role] = (
                f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{name}" w:cs="{name}"/>'
            )
        return self._fonts[role]

    @staticmethod
    def _tc_pr(width: int, span: int, vmerge: str) -> str:
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}{vmerge}' + (
            '<w:vAlign w:val="center"/></w:tcPr>'
        )

    def continued(self, width: int, span: int) -> str:
        """The covered part of a vertically merged cell: an empty paragraph."""
        return (
            self._tc_pr(width, span, "<w:vMerge/>")
            + f"<w:p><w:pPr>{self.style}</w:pPr></w:p></w:tc>"
        )

    def start(self, pc: model.PlacedCell, width: int) -> str:
        table, cell = self.table, pc.cell
        vmerge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
        default = model.Align.CENTER if pc.header else table.columns[pc.col].align
        align = cell.align or default
        jc = f'<w:jc w:val="{_JC[align]}"/>' if align is not model.Align.CENTER else ""
        role = FontRole.HEI if pc.header or cell.bold else FontRole.SONG
        size = table.font_size
        avail = width / 20 - 2 * layout.TABLE_CELL_PADDING_PT
        text_w = layout.em_width(cell.text) * size
        fitted = layout.shrink_size(cell.text, text_w, avail, size, cell.one_line)
        if fitted is not None and fitted < size:
            size = math.floor(fitted * 2) / 2  # Word sizes in half points; round down to fit
        half_points = round(size * 2)
        run = f'<w:r><w:rPr>{self._font(role)}<w:sz w:val="{half_points}"/></w:rPr>'
        run += "<w:br/>".join(_text(line) for line in cell.text.split("\n")) + "</w:r>"
        paragraph = f"<w:p><w:pPr>{self.style}{jc}</w:pPr>{run}</w:p>"
        return self._tc_pr(width, cell.colspan, vmerge) + paragraph + "</w:tc>"


def _text(line: str) -> str:
    parts = line.translate(_CONTROL).split("\t")
    return "<w:tab/>".join(_t(part) for part in parts)


def _t(text: str) -> str:
    if not text:
        return ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{escape(text)}</w:t>"
