"""Render a `Document` to PDF with reportlab platypus, embedding TrueType CJK fonts."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph

from app.atomic import atomic_path
from app.reports import layout, model
from app.reports.fonts import default_fonts, install_cjk_linebreak_rules, symbol_fonts
from app.reports.layout import FontRole, PageGeometry
from app.reports.pdf_blocks import (
    MIN_FIGURE_SCALE,
    FloatingFigure,
    KeptWithSignature,
    figure_flowables,
    figure_size,
    table_flowables,
    table_need,
)
from app.reports.pdf_styles import ALIGNMENTS, PdfStyles
from app.reports.pdf_toc import FixedToc, TocLine
from app.reports.progress import CancelCheck, ProgressCallback, Tracker

MM = 1 / layout.MM_PER_PT
EM = layout.BODY_PT


def _frame(geometry: PageGeometry) -> Frame:
    return Frame(
        geometry.left_mm * MM,
        geometry.bottom_mm * MM,
        geometry.text_width_mm * MM,
        geometry.text_height_mm * MM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"body-{geometry.width_mm:.0f}",
    )


class _DocTemplate(BaseDocTemplate):
    """Page templates (cover, portrait, landscape), page numbers, outline and progress."""

    def __init__(
        self,
        filename: str,
        styles: PdfStyles,
        tracker: Tracker,
        cover: bool,
        toc: FixedToc | None,
        draft: bool = False,
        **kw: object,
    ) -> None:
        super().__init__(filename, pagesize=(210 * MM, 297 * MM), **kw)
        self._draft = draft
        self._styles = styles
        self._tracker = tracker
        self._toc = toc
        self._story: list[Flowable] = []
        self._story_total = 0
        portrait = (layout.PORTRAIT.width_mm * MM, layout.PORTRAIT.height_mm * MM)
        landscape = (layout.LANDSCAPE.width_mm * MM, layout.LANDSCAPE.height_mm * MM)
        templates = [
            PageTemplate("portrait", [_frame(layout.PORTRAIT)], self._furnish, pagesize=portrait),
            PageTemplate(
                "landscape", [_frame(layout.LANDSCAPE)], self._furnish, pagesize=landscape
            ),
        ]
        if cover:  # the first template in the list lays out page 1
            cover_page = PageTemplate(
                "cover", [_frame(layout.PORTRAIT)], self._watermark, pagesize=portrait
            )
            templates.insert(0, cover_page)
        self.addPageTemplates(templates)

    def _furnish(self, canvas: object, doc: BaseDocTemplate) -> None:
        self._watermark(canvas, doc)
        self._number(canvas, doc)

    def _watermark(self, canvas: object, doc: BaseDocTemplate) -> None:
        """草稿 across a draft's pages, in light grey under the text (drawn first)."""
        if not self._draft:
            return
        width, height = canvas._pagesize  # type: ignore[attr-defined]
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFillGray(0.86)  # type: ignore[attr-defined]
        canvas.setFont(self._styles.font(FontRole.HEI), 120)  # type: ignore[attr-defined]
        canvas.translate(width / 2, height / 2)  # type: ignore[attr-defined]
        canvas.rotate(35)  # type: ignore[attr-defined]
        canvas.drawCentredString(0, -40, "草　稿")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def _number(self, canvas: object, doc: BaseDocTemplate) -> None:
        """`— N —` in 4号宋体: odd pages right, even pages left, one character in.

        A landscape page keeps the portrait position (GB/T 9704): turned back upright, its
        left edge is the sheet's foot, so the number is drawn there, rotated with the sheet.
        """
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        width, height = canvas._pagesize  # type: ignore[attr-defined]
        size = layout.PAGE_NUMBER_PT
        text = layout.page_number_text(page)
        baseline = layout.PAGE_NUMBER_BASELINE_MM * MM
        portrait = layout.PORTRAIT
        canvas.saveState()  # type: ignore[attr-defined]
        if width > height:  # the portrait sheet's origin, turned a quarter clockwise
            canvas.translate(baseline, height)  # type: ignore[attr-defined]
            canvas.rotate(-90)  # type: ignore[attr-defined]
            sheet_width, y = height, 0.0
        else:
            sheet_width, y = width, baseline
        canvas.setFont(self._styles.font(FontRole.SONG), size)  # type: ignore[attr-defined]
        if page % 2:
            x = sheet_width - portrait.right_mm * MM - size
            canvas.drawRightString(x, y, text)  # type: ignore[attr-defined]
        else:
            canvas.drawString(portrait.left_mm * MM + size, y, text)  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def build_story(self, story: list[Flowable]) -> None:
        self._story = story
        self._story_total = len(story)
        self._tracker.total = max(len(story), 1)
        self.build(story)  # one pass, also with a table of contents (see pdf_toc)

    def beforeDocument(self) -> None:
        if self._toc is not None:
            self._toc.install(self.canv)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        # Tables take their reportlab form only when layout comes near them (a keepWithNext
        # group looks a few flowables ahead): the whole book's tables never coexist.
        for i in range(min(_LOOKAHEAD, len(flowables))):
            if isinstance(flowables[i], _DeferredTable):
                flowables[i : i + 1] = flowables[i].expand()
        # reportlab also calls this on short lists of its own (keepWithNext groups): those
        # would report "almost done" at once and hold the real progress back.
        if flowables is self._story:
            self._tracker.step(self._story_total - len(flowables))
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        text = flowable.toc_text
        key = flowable.toc_key
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level - 1, closed=level > 1)
        if self._toc is not None:
            self._toc.define_number(self.canv, key, self.page)


_LOOKAHEAD = 8


class _DeferredTable(Flowable):
    """Stands in the story for a table until layout reaches it (see handle_flowable)."""

    def __init__(self, table: model.Table, width: float, styles: PdfStyles) -> None:
        super().__init__()
        self._args = (table, width, styles)

    def expand(self) -> list[Flowable]:
        return table_flowables(*self._args)


class _StoryBuilder:
    def __init__(self, document: model.Document, styles: PdfStyles) -> None:
        self.doc = document
        self.styles = styles
        self.story: list[Flowable] = []
        self.numberer = model.HeadingNumberer()
        self.geometry = layout.PORTRAIT
        self.toc = FixedToc(styles, document.toc_levels) if document.toc else None
        self._toc_at = 0

    def build(self) -> list[Flowable]:
        doc = self.doc
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
        if self.toc is not None:  # every heading is known now: lay the lines out once
            width = layout.PORTRAIT.text_width_mm * MM
            self.story[self._toc_at : self._toc_at] = self.toc.lines(width)
        return self.story

    def _add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def _new_page(self, template: str) -> None:
        if self.story and isinstance(self.story[-1], PageBreak):
            self.story.insert(len(self.story) - 1, NextPageTemplate(template))
        else:
            self._add(NextPageTemplate(template), PageBreak())

    def _cover(self, cover: model.Cover) -> None:
        s = self.styles
        self._add(
            Spacer(1, 60 * MM),
            s.para(layout.balance_title(cover.title, layout.COVER_TITLE_PT), s.cover_title),
        )
        if cover.subtitle:
            self._add(Spacer(1, 12), s.para(cover.subtitle, s.subtitle))
        self._add(Spacer(1, 90 * MM))
        for line in (cover.org, cover.date and model.format_date(cover.date)):
            if line:
                self._add(s.para(line, s.variant(s.subtitle, fontName=s.font(FontRole.HEI))))
        self._new_page("portrait")

    def _toc(self) -> None:
        self._add(self.styles.para("目　　录", self.styles.toc_title))
        self._toc_at = len(self.story)
        self._new_page("portrait")

    def _title(self) -> None:
        s, doc = self.styles, self.doc
        if doc.doc_number:
            centred = s.variant(s.body, firstLineIndent=0, alignment=ALIGNMENTS[model.Align.CENTER])
            self._add(s.para(doc.doc_number, centred), Spacer(1, layout.LINE_PITCH_PT))
        title = layout.balance_title(doc.title, layout.TITLE_PT)
        self._add(s.para(title, s.title))
        if doc.subtitle:
            self._add(s.para(doc.subtitle, s.subtitle))
        if doc.subtitle or doc.recipient:
            self._add(Spacer(1, layout.LINE_PITCH_PT / 2))
        if doc.recipient:
            text = doc.recipient.rstrip("：:") + "："
            self._add(s.para(text, s.variant(s.body, firstLineIndent=0)))

    def _blocks(self, blocks: tuple[model.Block, ...]) -> None:
        frame_w = self.geometry.text_width_mm * MM
        frame_h = self.geometry.text_height_mm * MM
        i = 0
        while i < len(blocks):
            block = blocks[i]
            i += 1
            if isinstance(block, model.Paragraph):
                style = self._para_style(block)
                self._add(RLParagraph(self.styles.spans(block.spans, style.fontName), style))
            elif isinstance(block, model.Heading):
                self._add(CondPageBreak(self._heading_need(blocks[i - 1 :])))
                self._heading(block)
            elif isinstance(block, model.Table):
                self._add(_DeferredTable(block, frame_w, self.styles))
            elif isinstance(block, model.Figure):
                figure = figure_flowables(block, frame_w, frame_h, self.styles)[0]
                text = _text_run(blocks[i:])
                self._add(FloatingFigure(figure, self._flowables(text)) if text else figure)
                i += len(text)
            elif isinstance(block, model.PageBreak):
                self._add(PageBreak())
            elif isinstance(block, model.Landscape):
                self._landscape(block)

    def _flowables(self, blocks: tuple[model.Block, ...]) -> list[Flowable]:
        """The flowables of `blocks`, built aside from the story."""
        story, self.story = self.story, []
        self._blocks(blocks)
        built, self.story = self.story, story
        return built

    def _heading_need(self, blocks: tuple[model.Block, ...]) -> float:
        """Room a heading needs at a page foot: itself (and the headings right below it)
        plus the start of what follows: two lines of text, a table's first rows or the
        chart at its smallest. Keeping it with whole blocks would leave half pages blank."""
        need = 0.0
        frame_w = self.geometry.text_width_mm * MM
        frame_h = self.geometry.text_height_mm * MM
        for block in blocks:
            if isinstance(block, model.Heading):
                need += layout.LINE_PITCH_PT
                continue
            if isinstance(block, model.Table):
                need += table_need(block)
            elif isinstance(block, model.Figure):
                need += figure_size(block, frame_w, frame_h)[1] * MIN_FIGURE_SCALE + 40
            elif isinstance(block, model.Paragraph):
                need += 2 * layout.LINE_PITCH_PT
            break
        return need

    def _para_style(self, p: model.Paragraph) -> ParagraphStyle:
        s = self.styles
        if p.indent and p.align is model.Align.JUSTIFY:
            return s.body
        return s.variant(
            s.body,
            firstLineIndent=s.body.firstLineIndent if p.indent else 0,
            alignment=ALIGNMENTS[p.align],
        )

    def _heading(self, heading: model.Heading) -> None:
        text = self.numberer.label(heading) + heading.text
        para = self.styles.para(text, self.styles.headings[heading.level])
        para.is_heading = True
        if heading.level <= self.doc.toc_levels:  # in the outline, and in the TOC if any
            key = self.toc.add(heading.level, text) if self.toc else f"h{len(self.story)}"
            para.toc_level = heading.level
            para.toc_key = key
            para.toc_text = text
        self._add(para)

    def _landscape(self, block: model.Landscape) -> None:
        self._new_page("landscape")
        self.geometry = layout.LANDSCAPE
        self._blocks(block.blocks)
        self.geometry = layout.PORTRAIT
        self._new_page("portrait")

    def _attachments(self, names: tuple[str, ...]) -> None:
        s = self.styles
        self._add(Spacer(1, layout.LINE_PITCH_PT))
        numbered = len(names) > 1
        for i, name in enumerate(names, 1):
            label = f"{i}.{name}" if numbered else name
            if i == 1:
                style = s.variant(s.body, firstLineIndent=-3 * EM, leftIndent=5 * EM)
                label = "附件：" + label
            else:
                style = s.variant(s.body, firstLineIndent=0, leftIndent=5 * EM)
            self._add(s.para(label, style))

    def _signature(self, sig: model.SignatureBlock) -> None:
        """GB/T 9704 unstamped layout: org 右空二字, the date's first char two further right.

        The signature never stands alone on a page: it is kept together with the last
        paragraph of the body (GB/T 9704 §7.3.5.4), or with that paragraph's last line when
        the rest fills the page before.
        """
        s = self.styles
        last = self.story[-1] if self.story else None
        body = last.followers if isinstance(last, FloatingFigure) else self.story
        paragraph = body.pop() if body and isinstance(body[-1], RLParagraph) else None
        block: list[Flowable] = [Spacer(1, layout.LINE_PITCH_PT)]
        date = model.format_date(sig.date) if sig.date else ""
        org_right, date_right = layout.signature_indents(sig.org, date)
        for text, right in ((sig.org, org_right), (date, date_right)):
            if text:
                style = s.variant(
                    s.body, firstLineIndent=0, alignment=TA_RIGHT, rightIndent=right * EM
                )
                block.append(s.para(text, style))
        self._add(KeptWithSignature(paragraph, block) if paragraph else KeepTogether(block))


def _text_run(blocks: tuple[model.Block, ...]) -> tuple[model.Block, ...]:
    """The paragraphs, headings and tables right after a chart, which may print before it;
    a heading at the end of the run stays behind with the chart it introduces."""
    n = 0
    while n < len(blocks) and isinstance(blocks[n], model.Paragraph | model.Heading | model.Table):
        n += 1
    while n and isinstance(blocks[n - 1], model.Heading):
        n -= 1
    return blocks[:n]


def render_pdf(
    document: model.Document,
    path: Path,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> None:
    """Write `document` to `path` atomically as PDF."""
    tracker = Tracker(1, progress, cancel, "正在生成 PDF", every=20)
    with atomic_path(Path(path)) as tmp:
        _lay_out(document, str(tmp), tracker)
    tracker.finish("PDF 已生成")


def toc_lines(
    document: model.Document,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> list[TocLine]:
    """The table of contents with the pages the PDF puts each heading on (laid out in
    memory), so that the .docx opens with the same numbers before Word refreshes its field."""
    tracker = Tracker(1, progress, cancel, "正在计算目录页码", every=20)
    toc = _lay_out(document, io.BytesIO(), tracker, write=False)
    return toc.numbered() if toc is not None else []


def _lay_out(
    document: model.Document, target: str | io.BytesIO, tracker: Tracker, write: bool = True
) -> FixedToc | None:
    """Paginate `document`; `write=False` skips encoding the PDF (only the pages are wanted)."""
    install_cjk_linebreak_rules()
    fonts = {role: f.pdf_name for role, f in default_fonts().items()}
    styles = PdfStyles(fonts, symbol_fonts())
    builder = _StoryBuilder(document, styles)
    story = builder.build()
    author = document.signature.org if document.signature else ""
    template = _DocTemplate(
        target,  # type: ignore[arg-type]  # reportlab writes to a path or a file object
        styles,
        tracker,
        cover=document.cover is not None,
        toc=builder.toc,
        draft=document.draft,
        title=document.title,
        author=author,
        creator="预算绩效管理",
        initialFontName=fonts[FontRole.SONG],  # else an unused Helvetica is referenced
    )
    template._doSave = write  # reportlab's own switch, used by its multi-pass builds
    template.build_story(story)
    return builder.toc
