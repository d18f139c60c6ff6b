"""Per-character font fallback for PDFs: never print an empty box.

reportlab draws a character the font lacks as the font's empty .notdef box. CJK faces
miss a few symbols reports use (− U+2212 in most of them; some miss ㎡ ‰ ℃ on Windows),
so paragraph markup wraps each run of such characters in `<font name=...>` with the first
fallback face whose cmap has them: the other CJK faces first (they look alike), then a
symbol face (Segoe UI / Arial on Windows, DejaVu Sans on Linux). A character no face has
is replaced by a look-alike (− → -) as a last resort, and logged once.
Canvas-drawn plain strings (short table cells) use the same check: a cell whose text
needs a fallback face is drawn as a Paragraph instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

log = logging.getLogger("app.reports")

# Look-alikes for the last resort: used only when no installed face has the character.
_LOOK_ALIKE = {"\u2212": "-", "\u2264": "<=", "\u2265": ">=", "\u00d7": "x", "\u33a1": "m2"}
_ALWAYS_PRESENT = frozenset(" \n\t\u3000\xa0")  # spacing: never drawn as a glyph


@lru_cache(maxsize=64)
def _cmap(font_name: str) -> dict[int, int] | None:
    """The font's character map, or None for fonts without one (built-in/CID fonts)."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    return getattr(face, "charToGlyph", None)


def has_glyph(font_name: str, ch: str) -> bool:
    cmap = _cmap(font_name)
    return cmap is None or ch in _ALWAYS_PRESENT or ord(ch) in cmap


class GlyphFallback:
    """Finds, per character, a font that has it; `chain` lists fallback fonts in order."""

    def __init__(self, chain: Sequence[str]) -> None:
        self.chain = list(dict.fromkeys(chain))
        self._choice: dict[tuple[str, str], str | None] = {}
        self._warned: set[str] = set()

    def covers(self, text: str, font: str) -> bool:
        """True when `font` has every character of `text` (the common, fast case)."""
        cmap = _cmap(font)
        return cmap is None or all(ord(c) in cmap or c in _ALWAYS_PRESENT for c in text)

    def font_for(self, ch: str, font: str) -> str | None:
        """`font` itself, the first fallback having `ch`, or None when none has it."""
        key = (ch, font)
        if key not in self._choice:
            candidates = [font, *self.chain]
            self._choice[key] = next((f for f in candidates if has_glyph(f, ch)), None)
        return self._choice[key]

    def markup(self, text: str, font: str) -> str:
        """`text` escaped for a reportlab Paragraph drawn in `font`, with fallback runs."""
        if self.covers(text, font):
            return escape(text)
        out: list[str] = []
        run_font, run = font, ""
        for ch in text:
            chosen = self.font_for(ch, font)
            if chosen is None:
                ch, chosen = self._look_alike(ch), font
            if chosen != run_font and run:
                out.append(self._wrap(run, run_font, font))
                run = ""
            run_font = chosen
            run += ch
        out.append(self._wrap(run, run_font, font))
        return "".join(out)

    def plain(self, text: str, font: str) -> str:
        """Text for canvas drawing in one font (no markup): look-alikes for missing glyphs."""
        if self.covers(text, font):
            return text
        return "".join(c if has_glyph(font, c) else self._look_alike(c) for c in text)

    @staticmethod
    def _wrap(run: str, run_font: str, base: str) -> str:
        text = escape(run)
        return text if run_font == base else f'<font name="{run_font}">{text}</font>'

    def _look_alike(self, ch: str) -> str:
        if ch not in self._warned:
            self._warned.add(ch)
            log.warning("PDF字体中都没有字符“%s”（U+%04X），已用近似字符代替", ch, ord(ch))
        return _LOOK_ALIKE.get(ch, ch)
