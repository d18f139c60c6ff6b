"""The open 仿宋 ships with CFF outlines; converted to TrueType, reportlab embeds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

from app.reports import fonts
from app.reports.font_convert import convert, main


def cff_font(path: Path) -> None:
    """A small CFF OpenType font whose glyphs ("0", "仿") are drawn with cubic curves."""
    fb = FontBuilder(1000, isTTF=False)
    names = [".notdef", "zero", "uni4EFF"]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord("0"): "zero", ord("仿"): "uni4EFF"})
    charstrings = {}
    for name in names:
        pen = T2CharStringPen(600, None)
        pen.moveTo((100, 0))
        pen.curveTo((100, 400), (500, 400), (500, 0))
        pen.closePath()
        charstrings[name] = pen.getCharString()
    fb.setupCFF("TestFang", {"FullName": "TestFang"}, charstrings, {})
    fb.setupHorizontalMetrics({n: (600, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "TestFang", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))


def test_a_cff_font_becomes_truetype_that_reportlab_embeds(tmp_path: Path) -> None:
    source, target = tmp_path / "fang.otf", tmp_path / "fang.ttf"
    cff_font(source)
    assert fonts._registry.register(fonts.FontFile(source), required="0") is None  # CFF
    convert(source, target)
    font = TTFont(str(target))
    assert "glyf" in font and "CFF " not in font
    glyph = font["glyf"]["uni4EFF"]
    assert glyph.numberOfContours == 1 and len(glyph.coordinates) > 3  # the curve, as quads
    assert font.getBestCmap()[ord("仿")] == "uni4EFF"
    assert fonts._registry.register(fonts.FontFile(target), required="0仿") is not None


def test_a_truetype_source_is_refused_and_the_usage_is_in_chinese(tmp_path: Path, capsys):
    source = tmp_path / "fang.otf"
    cff_font(source)
    convert(source, tmp_path / "fang.ttf")
    with pytest.raises(ValueError, match="不是 CFF 轮廓的 OpenType 字体"):
        convert(tmp_path / "fang.ttf", tmp_path / "again.ttf")
    assert main([]) == 2
    assert "用法" in capsys.readouterr().err
