"""reportlab paragraph styles for one render, built once and reused (per-cell styles
are cached by font, size and alignment: creating styles per cell dominated run time)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as RLParagraph

from app.reports import layout
from app.reports.layout import FontRole
from app.reports.model import Align, Span
from app.reports.pdf_glyphs import GlyphFallback

ALIGNMENTS = {Align.LEFT: TA_LEFT, Align.CENTER: TA_CENTER, Align.RIGHT: TA_RIGHT}
ALIGNMENTS[Align.JUSTIFY] = TA_JUSTIFY
TABLE_ALIGN = {Align.LEFT: "LEFT", Align.CENTER: "CENTER", Align.RIGHT: "RIGHT"}
TABLE_ALIGN[Align.JUSTIFY] = "LEFT"


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, keeping explicit line breaks.

    reportlab collapses runs of whitespace, U+3000 included, so "年　　月　　日" and
    "目　　录" lost their spacing: an ideographic space becomes two no-break spaces
    (half an em each), which it keeps.
    """
    return _breaks(escape(text))


def _breaks(escaped: str) -> str:
    return escaped.replace("\n", "<br/>").replace("\u3000", "\xa0\xa0")


class PdfStyles:
    def __init__(self, fonts: dict[FontRole, str], symbol_fonts: list[str] | None = None) -> None:
        self.fonts = fonts
        # Characters a role's face lacks come from the other CJK faces, then symbol faces.
        self.fallback = GlyphFallback([*fonts.values(), *(symbol_fonts or [])])
        body = layout.BODY_PT
        indent = layout.INDENT_CHARS * body
        self.body = self._style("body", FontRole.FANGSONG, body, layout.LINE_PITCH_PT)
        self.body.firstLineIndent = indent
        self.body.alignment = TA_JUSTIFY
        self.title = self._style("title", FontRole.TITLE, layout.TITLE_PT, layout.TITLE_LEADING_PT)
        self.title.alignment = TA_CENTER
        self.title.spaceAfter = layout.LINE_PITCH_PT - layout.TITLE_LEADING_PT / 2
        self.subtitle = self._style("subtitle", FontRole.KAI, body, layout.LINE_PITCH_PT)
        self.subtitle.alignment = TA_CENTER
        self.headings = {
            level: self._style(f"h{level}", role, body, layout.LINE_PITCH_PT)
            for level, role in layout.HEADING_ROLES.items()
        }
        for style in self.headings.values():  # kept with what follows by pdf_renderer
            style.firstLineIndent = indent
        self.caption = self._style("caption", FontRole.HEI, layout.CAPTION_PT, 22)
        self.caption.alignment = TA_CENTER
        self.caption.keepWithNext = 1
        self.toc_title = self._style("toc", FontRole.HEI, layout.TITLE_PT, 40)
        self.toc_title.alignment = TA_CENTER
        self.toc_title.spaceAfter = layout.LINE_PITCH_PT
        self.toc_levels = [
            self._style("toc1", FontRole.FANGSONG, body, layout.LINE_PITCH_PT),
            self._style("toc2", FontRole.FANGSONG, 14, 24),
        ]
        self.toc_levels[1].leftIndent = indent
        self.cover_title = self._style("cover", FontRole.TITLE, layout.COVER_TITLE_PT, 44)
        self.cover_title.alignment = TA_CENTER
        self._variants: dict[tuple[object, ...], ParagraphStyle] = {}

    def _style(self, name: str, role: FontRole, size: float, leading: float) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=self.fonts[role], fontSize=size, leading=leading, wordWrap="CJK"
        )

    def font(self, role: FontRole) -> str:
        return self.fonts[role]

    def variant(self, base: ParagraphStyle, **changes: object) -> ParagraphStyle:
        """`base` with a few attributes changed, cached so equal variants are shared."""
        key = (base.name, *sorted(changes.items()))
        style = self._variants.get(key)
        if style is None:
            style = ParagraphStyle(f"{base.name}-{len(self._variants)}", parent=base)
            for attr, value in changes.items():
                setattr(style, attr, value)
            self._variants[key] = style
        return style

    def cell(self, role: FontRole, size: float, align: Align) -> ParagraphStyle:
        key = ("cell", role, size, align)
        style = self._variants.get(key)
        if style is None:
            style = self._style(
                f"cell-{len(self._variants)}", role, size, size * layout.TABLE_LEADING_FACTOR
            )
            style.alignment = ALIGNMENTS[align]
            self._variants[key] = style
        return style

    def text(self, text: str, font: str) -> str:
        """Paragraph markup for `text` in `font`, with fallback faces for missing glyphs."""
        return _breaks(self.fallback.markup(text, font))

    def para(self, text: str, style: ParagraphStyle) -> RLParagraph:
        return RLParagraph(self.text(text, style.fontName), style)

    def spans(self, spans: tuple[Span, ...], font: str) -> str:
        """Bold spans switch to 黑体: CJK TrueType faces have no bold variant to embed."""
        hei = self.fonts[FontRole.HEI]
        parts = []
        for span in spans:
            if span.bold:
                parts.append(f'<font name="{hei}">{self.text(span.text, hei)}</font>')
            else:
                parts.append(self.text(span.text, font))
        return "".join(parts)
