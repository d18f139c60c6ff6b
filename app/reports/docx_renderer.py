"""Render a `Document` to .docx with python-docx (Word and WPS)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from app.atomic import atomic_path
from app.reports import docx_xml, layout, model
from app.reports.docx_stream import BodyStream
from app.reports.docx_styles import DocxStyles, add_paragraph, set_run_font, set_style
from app.reports.docx_tables import add_table
from app.reports.layout import FontRole, PageGeometry
from app.reports.progress import CancelCheck, ProgressCallback, Tracker

if TYPE_CHECKING:  # reportlab loads only when a TOC is laid out
    from app.reports.pdf_toc import TocLine

ALIGN = {
    model.Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    model.Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    model.Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    model.Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}
EM = Pt(layout.BODY_PT)


def _apply_geometry(section: Section, geometry: PageGeometry) -> None:
    landscape = geometry.width_mm > geometry.height_mm
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Twips(layout.mm_to_twips(geometry.width_mm))
    section.page_height = Twips(layout.mm_to_twips(geometry.height_mm))
    section.top_margin = Twips(layout.mm_to_twips(geometry.top_mm))
    section.bottom_margin = Twips(layout.mm_to_twips(geometry.bottom_mm))
    section.left_margin = Twips(layout.mm_to_twips(geometry.left_mm))
    section.right_margin = Twips(layout.mm_to_twips(geometry.right_mm))
    section.footer_distance = Mm(layout.PAGE_NUMBER_BASELINE_MM - 2)
    section.header_distance = Mm(15)


class _DocxBuilder:
    def __init__(
        self, document: model.Document, tracker: Tracker, toc: Sequence[TocLine] = ()
    ) -> None:
        self.doc = document
        self.tracker = tracker
        self.toc = toc
        self.d = docx.Document()
        self.styles = DocxStyles(self.d)
        figures = any(isinstance(b, model.Figure) for b in model.iter_blocks(document.blocks))
        self.body = BodyStream(self.d, in_tree=figures)
        self.numberer = model.HeadingNumberer()
        self.geometry = layout.PORTRAIT
        self._back_to_portrait = False  # after a landscape section, once more content comes
        self.done = 0
        self._sideways_boxes = 0
        section = self.d.sections[0]
        _apply_geometry(section, layout.PORTRAIT)
        self._footers(section, layout.PORTRAIT)
        if document.draft:
            self._draft_headers(section)

    def build(self) -> None:
        doc = self.doc
        self.tracker.total = max(sum(1 for _ in model.iter_blocks(doc.blocks)), 1)
        if doc.cover:
            self._cover(doc.cover)
        if doc.toc:
            self._toc()
        self._title()
        self._blocks(doc.blocks)
        if doc.attachments:
            self._attachments(doc.attachments)
        if doc.signature:
            self._signature(doc.signature)
        self.d.core_properties.title = doc.title

    # -- page furniture ---------------------------------------------------------------
    def _footers(self, section: Section, geometry: PageGeometry) -> None:
        """`— N —` in 4号宋体, odd pages right, even pages left, one character in (GB/T 9704).

        A landscape page keeps the portrait position, as in the PDF: the number sits in a
        sideways text box along the sheet's left edge, the portrait page's foot.
        """
        self.d.settings.odd_and_even_pages_header_footer = True
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False  # a section after a landscape one too
            para = footer.paragraphs[0]
            set_style(para, self.styles.footer)
            if geometry.width_mm > geometry.height_mm:
                self._sideways_boxes += 1
                para = docx_xml.add_sideways_box(
                    para,
                    x_mm=layout.PAGE_NUMBER_BASELINE_MM - 1.5,
                    y_mm=layout.PORTRAIT.left_mm,
                    width_mm=6,
                    height_mm=layout.PORTRAIT.text_width_mm,
                    id_=9000 + self._sideways_boxes,
                )
                set_style(para, self.styles.footer)
            self._page_number(para, odd)

    def _page_number(self, para: DocxParagraph, odd: bool) -> None:
        indent = Pt(layout.PAGE_NUMBER_PT)
        if odd:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para.paragraph_format.right_indent = indent
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            para.paragraph_format.left_indent = indent
        runs = [para.add_run("— ")]
        runs += docx_xml.add_field(para, "PAGE", "1")
        runs.append(para.add_run(" —"))
        for run in runs:
            set_run_font(run, FontRole.SONG, layout.PAGE_NUMBER_PT, hint_east_asia=True)

    def _draft_headers(self, section: Section) -> None:
        """草稿 at the top right of every page (later sections link to these headers)."""
        headers = [section.header, section.even_page_header, section.first_page_header]
        for header in headers:
            para = header.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = para.add_run("草稿")
            set_run_font(run, FontRole.HEI, layout.BODY_PT, hint_east_asia=True)

    def _cover(self, cover: model.Cover) -> None:
        section = self.d.sections[0]
        section.different_first_page_header_footer = True  # no page number on the cover
        title = self._para(
            layout.balance_title(cover.title, layout.COVER_TITLE_PT), self.styles.cover
        )
        title.paragraph_format.space_before = Mm(55)
        if cover.subtitle:
            self._para(cover.subtitle, self.styles.subtitle)
        lines = [cover.org or "", model.format_date(cover.date) if cover.date else ""]
        lines = [line for line in lines if line]
        for i, line in enumerate(lines):
            para = self._para(line, self.styles.subtitle, FontRole.HEI)
            if i == 0:
                para.paragraph_format.space_before = Mm(85)
        self._page_break()

    def _toc(self) -> None:
        """The TOC field, holding the lines with the PDF's page numbers as its result, so the
        file opens with a full 目录 (LibreOffice too); Word refreshes it from its own layout."""
        self._para("目　　录", self.styles.toc_title, FontRole.HEI)
        instruction = f'TOC \\o "1-{self.doc.toc_levels}" \\h \\z \\u'
        lines = []
        for line in self.toc:
            para = add_paragraph(self.d, self.styles.toc_levels[line.level])
            set_run_font(para.add_run(f"{line.text}\t{line.page}"), FontRole.FANGSONG)
            lines.append(para)
        if lines:
            docx_xml.wrap_in_field(lines[0], lines[-1], instruction)
        else:  # no heading to list: Word fills the field when it has some
            para = add_paragraph(self.d, self.styles.toc_field)
            for run in docx_xml.add_field(para, instruction, "右键单击此处，选择“更新域”生成目录"):
                set_run_font(run, FontRole.FANGSONG, layout.BODY_PT)
        docx_xml.set_update_fields_on_open(self.d)
        self._page_break()

    def _title(self) -> None:
        doc = self.doc
        if doc.doc_number:
            para = self._para(doc.doc_number, self.styles.body)
            para.paragraph_format.first_line_indent = Pt(0)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.space_after = Pt(layout.LINE_PITCH_PT)
        title = layout.balance_title(doc.title, layout.TITLE_PT)
        self._para(title, self.styles.title, FontRole.TITLE)
        if doc.subtitle:
            self._para(doc.subtitle, self.styles.subtitle, FontRole.KAI)
        if doc.recipient:
            para = self._para(doc.recipient.rstrip("：:") + "：", self.styles.body)
            para.paragraph_format.first_line_indent = Pt(0)
            if doc.subtitle:
                para.paragraph_format.space_before = Pt(layout.LINE_PITCH_PT / 2)

    # -- blocks -----------------------------------------------------------------------
    def _blocks(self, blocks: tuple[model.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, model.Landscape):
                self._landscape(block)
                continue
            self._portrait_again()
            self.done += 1
            self.tracker.step(self.done)
            if isinstance(block, model.Paragraph):
                self._paragraph(block)
            elif isinstance(block, model.Heading):
                role = layout.HEADING_ROLES[block.level]
                text = self.numberer.label(block) + block.text
                self._para(text, self.styles.headings[block.level], role)
            elif isinstance(block, model.Table):
                add_table(self.d, block, self.geometry, self.styles, self.body.place)
            elif isinstance(block, model.Figure):
                self._figure(block)
            elif isinstance(block, model.PageBreak):
                self._page_break()

    def _para(
        self, text: str, style: ParagraphStyle, role: FontRole | None = None
    ) -> DocxParagraph:
        para = add_paragraph(self.d, style)
        run = para.add_run(text)
        if role is not None:
            set_run_font(run, role)
        return para

    def _paragraph(self, p: model.Paragraph) -> None:
        para = add_paragraph(self.d, self.styles.body)
        if not p.indent:
            para.paragraph_format.first_line_indent = Pt(0)
        if p.align is not model.Align.JUSTIFY:
            para.alignment = ALIGN[p.align]
        for span in p.spans:
            run = para.add_run(span.text)
            set_run_font(run, FontRole.FANGSONG)
            if span.bold:
                run.bold = True

    def _figure(self, figure: model.Figure) -> None:
        para = add_paragraph(self.d, self.styles.figure)
        width_mm = min(figure.width_mm, self.geometry.text_width_mm)
        para.add_run().add_picture(io.BytesIO(figure.image_bytes()), width=Mm(width_mm))
        if figure.caption:
            para.paragraph_format.keep_with_next = True
            self._para(figure.caption, self.styles.caption, FontRole.HEI)

    def _page_break(self) -> None:
        para = add_paragraph(self.d, self.styles.figure)
        para.add_run().add_break(WD_BREAK.PAGE)

    def _landscape(self, block: model.Landscape) -> None:
        if self._back_to_portrait:  # landscape right after landscape: same section, new page
            self._back_to_portrait = False
            self._page_break()
        else:
            self._new_section(layout.LANDSCAPE)
        self._blocks(block.blocks)
        self._back_to_portrait = True

    def _portrait_again(self) -> None:
        """Open the portrait section a landscape one owes, only when content follows it:
        a section opened at the very end would print as an empty last page."""
        if self._back_to_portrait:
            self._back_to_portrait = False
            self._new_section(layout.PORTRAIT)

    def _new_section(self, geometry: PageGeometry) -> None:
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # the cover's setting is copied
        _apply_geometry(section, geometry)
        self._footers(section, geometry)
        self.geometry = geometry

    # -- closing ----------------------------------------------------------------------
    def _attachments(self, names: tuple[str, ...]) -> None:
        self._portrait_again()
        numbered = len(names) > 1
        for i, name in enumerate(names, 1):
            label = f"{i}.{name}" if numbered else name
            para = self._para(("附件：" if i == 1 else "") + label, self.styles.body)
            fmt = para.paragraph_format
            fmt.left_indent = Pt(5 * layout.BODY_PT)
            fmt.first_line_indent = Pt(-3 * layout.BODY_PT if i == 1 else 0)
            if i == 1:
                fmt.space_before = Pt(layout.LINE_PITCH_PT)

    def _signature(self, sig: model.SignatureBlock) -> None:
        """Kept on the page of the body's last paragraph: never alone on a page."""
        self._portrait_again()
        body = self.d.element.body
        last = body[-2] if len(body) > 1 else None  # the last element before w:sectPr
        if last is not None and last.tag == qn("w:p"):
            DocxParagraph(last, self.d._body).paragraph_format.keep_with_next = True
        date = model.format_date(sig.date) if sig.date else ""
        org_right, date_right = layout.signature_indents(sig.org, date)
        first = True
        for text, right in ((sig.org, org_right), (date, date_right)):
            if not text:
                continue
            para = self._para(text, self.styles.body)
            fmt = para.paragraph_format
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.first_line_indent = Pt(0)
            fmt.right_indent = Pt(right * layout.BODY_PT)
            if first:
                fmt.space_before = Pt(layout.LINE_PITCH_PT)
                fmt.keep_with_next = bool(date)
                first = False


def render_docx(
    document: model.Document,
    path: Path,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> None:
    """Write `document` to `path` atomically as .docx."""
    toc: list[TocLine] = []
    if document.toc:  # the page numbers come from the PDF layout, the app's own pagination
        from app.reports.pdf_renderer import toc_lines

        toc = toc_lines(document, progress, cancel)
    tracker = Tracker(1, progress, cancel, "正在生成 Word 文档", every=20)
    builder = _DocxBuilder(document, tracker, toc)
    try:
        builder.build()
        with atomic_path(Path(path)) as tmp:
            builder.body.save(tmp)
    finally:  # also when cancelled: the streamed body's temporary file goes
        builder.body.close()
    tracker.finish("Word 文档已生成")
