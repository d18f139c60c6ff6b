"""Convert a CFF-flavoured OpenType font (.otf) to TrueType outlines (.ttf), so that
reportlab can embed it: the open-licensed FandolFang (仿宋, GPL with the font exception, from
Debian's texlive-lang-chinese) is installed this way by packaging/dev.sh.

Cubic curves become quadratic ones within 1 font unit (fontTools' cu2qu); metrics, cmap and
names are kept. Run: python -m app.reports.font_convert SOURCE.otf TARGET.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units: invisible at any print size
_CFF_ONLY = ("CFF ", "VORG")  # tables that make no sense once the outlines are glyf


def convert(source: Path, target: Path) -> None:
    """Write `target` with the outlines of `source` as TrueType; `target` is replaced only
    once it is complete."""
    font = TTFont(str(source))
    if "CFF " not in font:
        raise ValueError(f"{source} 不是 CFF 轮廓的 OpenType 字体")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in _CFF_ONLY:
        if tag in font:
            del font[tag]
    _maxp_for_glyf(font)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0  # glyph names kept: some PDF readers map text by them
    font["post"].extraNames = []
    font["post"].mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"
    partial = target.with_suffix(".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(partial))
    partial.replace(target)


def _maxp_for_glyf(font: TTFont) -> None:
    """maxp 1.0, which glyf fonts need (CFF fonts carry 0.5); counts are recalculated on save."""
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
    ):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    for field in (
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
        "maxComponentElements", "maxComponentDepth",
    ):  # fmt: skip
        setattr(maxp, field, 0)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python -m app.reports.font_convert 源字体.otf 目标字体.ttf", file=sys.stderr)
        return 2
    convert(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
