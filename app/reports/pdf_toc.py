"""A table of contents laid out in ONE pass of reportlab.

reportlab's TableOfContents needs `multiBuild`: three full passes over the document (an
empty TOC, a filled one, a check), which made a 2,200-table goal book take three times as
long. Here the entries are known before layout (every heading is in the story), so the TOC
takes its final size at once; each page number is a PDF form XObject that the TOC line
draws by name and the heading defines later, when its page is known (PDF allows a form to
be referenced before it is defined).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph

from app.reports.pdf_styles import PdfStyles

_CALLBACK = "tocEntryEnd"
_DOT = " . "
_NUMBER_SAMPLE = "0000"  # room kept on the right for page numbers up to 9999


@dataclass(frozen=True)
class TocLine:
    """One line of a laid-out table of contents: what the .docx writes into its TOC field."""

    level: int
    text: str
    page: int


@dataclass(frozen=True)
class _Entry:
    key: str
    level: int
    text: str
    font: str
    size: float


class FixedToc:
    """Entries registered while the story is built; lines laid out once, numbers filled late."""

    def __init__(self, styles: PdfStyles, levels: int) -> None:
        self._styles = styles.toc_levels[:levels]
        self._variants = styles
        self._entries: dict[str, _Entry] = {}
        self._pages: dict[str, int] = {}
        self.width = 0.0

    def add(self, level: int, text: str) -> str:
        """Register a heading; returns the key its flowable carries (also its bookmark)."""
        style = self._styles[level - 1]
        key = f"toc{len(self._entries)}"
        self._entries[key] = _Entry(key, level, text, style.fontName, style.fontSize)
        return key

    def lines(self, width: float) -> list[Flowable]:
        """One paragraph per entry, with room for dots and the number on the right."""
        self.width = width
        out: list[Flowable] = []
        for entry in self._entries.values():
            base = self._styles[entry.level - 1]
            reserve = stringWidth(_NUMBER_SAMPLE + _DOT, entry.font, entry.size)
            style: ParagraphStyle = self._variants.variant(base, rightIndent=reserve)
            text = f'<a href="#{entry.key}">{self._variants.text(entry.text, entry.font)}</a>'
            text += f'<onDraw name="{_CALLBACK}" label="{entry.key}"/>'
            out.append(RLParagraph(text, style))
        return out

    def install(self, canvas: object) -> None:
        """Give the canvas the callback that draws dots and the number form of a line."""
        canvas.setNamedCB(_CALLBACK, self._entry_end)  # type: ignore[attr-defined]

    def _entry_end(self, canvas: object, _kind: str, key: str) -> None:
        entry = self._entries[key]
        info = canvas._curr_tx_info  # type: ignore[attr-defined]
        x, y = info["cur_x"], info["cur_y"]
        number_w = stringWidth(_NUMBER_SAMPLE, entry.font, entry.size)
        dot_w = stringWidth(_DOT, entry.font, entry.size)
        dots = max(int((self.width - number_w - x) / dot_w), 0)
        canvas.saveState()  # type: ignore[attr-defined]
        text = canvas.beginText(self.width - number_w - dots * dot_w, y)  # type: ignore[attr-defined]
        text.setFont(entry.font, entry.size)
        text.textLine(dots * _DOT)
        canvas.drawText(text)  # type: ignore[attr-defined]
        canvas.translate(self.width, y)  # type: ignore[attr-defined]
        canvas.doForm(key)  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def define_number(self, canvas: object, key: str, page: int) -> None:
        """Called when the heading is laid out: the page number, right-aligned at the origin."""
        entry = self._entries[key]
        self._pages[key] = page
        size = entry.size
        canvas.beginForm(key, lowerx=-8 * size, lowery=-size, upperx=1, uppery=2 * size)  # type: ignore[attr-defined]
        canvas.setFont(entry.font, size)  # type: ignore[attr-defined]
        canvas.drawRightString(0, 0, str(page))  # type: ignore[attr-defined]
        canvas.endForm()  # type: ignore[attr-defined]

    def numbered(self) -> list[TocLine]:
        """Every entry with its page, once the document is laid out."""
        return [TocLine(e.level, e.text, self._pages[k]) for k, e in self._entries.items()]
