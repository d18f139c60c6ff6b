"""Word paragraph styles for GB/T 9704 documents.

The built-in "Heading 1-4" styles are restyled rather than replaced, so Word's TOC field
and navigation pane find the headings. Style names the user sees in Word are Chinese.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from app.reports import docx_xml, layout
from app.reports.layout import FontRole

_CENTER = WD_ALIGN_PARAGRAPH.CENTER


def docx_font(role: FontRole) -> str:
    return layout.DOCX_FONT_NAMES[role][0]


def set_run_font(
    run: Run | ParagraphStyle,
    role: FontRole,
    size: float | None = None,
    hint_east_asia: bool = False,
) -> None:
    """Name the font on the run too: WPS and older Word ignore some style-level fonts."""
    element = run._r if isinstance(run, Run) else run.element
    docx_xml.set_fonts(element.get_or_add_rPr(), docx_font(role), hint_east_asia)
    if size is not None:
        run.font.size = Pt(size)


def add_paragraph(document: DocxDocument, style: ParagraphStyle, text: str = "") -> Paragraph:
    """Append a paragraph with `style` set by id: python-docx's `style=` looks the default
    style up on every call, which made long tables quadratic."""
    para = document.add_paragraph(text)
    set_style(para, style)
    return para


def set_style(paragraph: Paragraph, style: ParagraphStyle) -> None:
    paragraph._p.style = style.style_id


class DocxStyles:
    def __init__(self, document: DocxDocument) -> None:
        self._styles = document.styles
        alternates = dict(layout.DOCX_FONT_NAMES.values())
        docx_xml.add_font_alternates(document, alternates)
        self.body = self._styles["Normal"]
        self._format(self.body, FontRole.FANGSONG, layout.BODY_PT, indent=True)
        self.body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self.body.paragraph_format.widow_control = False
        self.title = self._new("公文标题", FontRole.TITLE, layout.TITLE_PT, align=_CENTER)
        self.title.paragraph_format.line_spacing = Pt(layout.TITLE_LEADING_PT)
        self.title.paragraph_format.space_after = Pt(layout.LINE_PITCH_PT / 2)
        self.subtitle = self._new("公文副标题", FontRole.KAI, layout.BODY_PT, align=_CENTER)
        self.headings = {}
        for level, role in layout.HEADING_ROLES.items():
            style = self._styles[f"Heading {level}"]
            self._format(style, role, layout.BODY_PT, indent=True)
            self._plain(style)
            style.paragraph_format.keep_with_next = True
            self.headings[level] = style
        self.caption = self._new("表图标题", FontRole.HEI, layout.CAPTION_PT, align=_CENTER)
        self.caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.caption.paragraph_format.space_before = Pt(6)
        self.caption.paragraph_format.space_after = Pt(3)
        self.unit = self._new("表格单位", FontRole.SONG, 12, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.unit.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.unit.paragraph_format.keep_with_next = True
        self.table_text = self._new("表格文字", FontRole.SONG, layout.TABLE_PT, align=_CENTER)
        self.table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # Exact line spacing would clip pictures to one line: figures use single spacing.
        self.figure = self._new("图片", FontRole.FANGSONG, layout.BODY_PT, align=_CENTER)
        self.figure.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.footer = self._new("页码", FontRole.SONG, layout.PAGE_NUMBER_PT)
        self.footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.toc_title = self._new("目录标题", FontRole.HEI, layout.TITLE_PT, align=_CENTER)
        self.toc_title.paragraph_format.space_after = Pt(layout.LINE_PITCH_PT)
        self.toc_field = self._new("目录内容", FontRole.FANGSONG, layout.BODY_PT)
        # The app writes its TOC lines in the "toc N" styles, as Word does when it refreshes
        # the field: title, dot leader, page number flush right.
        self.toc_levels: dict[int, ParagraphStyle] = {}
        text_width = Twips(layout.mm_to_twips(layout.PORTRAIT.text_width_mm))
        for level in (1, 2, 3, 4):
            toc = self._new(f"toc {level}", FontRole.FANGSONG, 16 if level == 1 else 14)
            toc.paragraph_format.left_indent = Pt((level - 1) * 2 * layout.BODY_PT)
            toc.paragraph_format.first_line_indent = Pt(0)
            toc.paragraph_format.tab_stops.add_tab_stop(
                text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
            self.toc_levels[level] = toc
        self.table_grid_id = self._styles["Table Grid"].style_id
        self.cover = self._new("封面标题", FontRole.TITLE, layout.COVER_TITLE_PT, align=_CENTER)
        self.cover.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self.cover.paragraph_format.space_after = Pt(12)

    def _new(
        self,
        name: str,
        role: FontRole,
        size: float,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    ) -> ParagraphStyle:
        style = self._styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.body
        self._format(style, role, size, indent=False)
        style.paragraph_format.alignment = align
        return style

    @staticmethod
    def _format(style: ParagraphStyle, role: FontRole, size: float, indent: bool) -> None:
        docx_xml.set_fonts(style.element.get_or_add_rPr(), docx_font(role))
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(layout.INDENT_CHARS * size if indent else 0)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(layout.LINE_PITCH_PT)

    @staticmethod
    def _plain(style: ParagraphStyle) -> None:
        """Drop the default template's bold, italic and blue from a heading style."""
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color"):
            for el in rpr.findall(qn(tag)):
                rpr.remove(el)
        style.font.color.rgb = RGBColor(0, 0, 0)
