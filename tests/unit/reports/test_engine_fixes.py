"""Engine bugs found by the workflow engineers: merged cells across pages, missing glyphs,
a trailing landscape section in Word."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from app.reports import (
    Cell,
    Column,
    Document,
    Heading,
    Landscape,
    Paragraph,
    Table,
    render_to_file,
)


def _spanned_table(rows: int, level2_every: int = 0) -> Table:
    """一级 merged over `rows` rows; 二级 merged over runs of `level2_every` rows."""
    body = []
    for i in range(rows):
        row: list[Cell | str] = []
        if i == 0:
            row.append(Cell("产出指标", rowspan=rows))
        if level2_every and i % level2_every == 0:
            row.append(
                Cell(f"数量指标{i // level2_every + 1}", rowspan=min(level2_every, rows - i))
            )
        elif not level2_every:
            row.append(f"二级{i}")
        row += [f"三级指标{i}", "≥1个"]
        body.append(tuple(row))
    columns = (Column(1), Column(1), Column(2), Column(1))
    return Table(columns, (("一级指标", "二级指标", "三级指标", "指标值"),), tuple(body))


def _page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.parametrize("rows", [20, 80])
def test_a_merged_cell_crossing_a_page_break_renders(tmp_path: Path, rows: int) -> None:
    """reportlab 5.1.0 raised UnboundLocalError ('v') in Table._splitRows here."""
    filler = tuple(Paragraph("正文" * 5) for _ in range(10))
    document = Document("分页测试", (*filler, _spanned_table(rows, level2_every=7)))
    path = render_to_file(document, tmp_path / "span.pdf")
    texts = _page_texts(path)
    assert len(texts) >= 2
    body_pages = [t for t in texts if "三级指标" in t]
    assert len(body_pages) >= 2
    # every page the merged cell reaches names it again, and repeats the header
    assert all("产出指标" in t and "一级指标" in t for t in body_pages)
    found = "".join(texts)
    assert all(f"三级指标{i}" in found for i in range(rows))


def test_a_merged_cell_crossing_a_page_in_docx_is_still_one_vmerge(tmp_path: Path) -> None:
    document = Document("分页测试", (_spanned_table(60),))
    path = render_to_file(document, tmp_path / "span.docx")
    table = docx.Document(str(path)).tables[0]
    assert table.cell(1, 0).text == "产出指标"
    assert table.cell(60, 0)._tc is table.cell(1, 0)._tc  # one merged cell


SYMBOLS = "−≥≤‰㎡℃×"


def _drawn_with(path: Path) -> list[tuple[str, str]]:
    """(PDF font name, text) of every text run drawn in the PDF."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
        if text.strip() and font is not None:
            runs.append((str(font["/BaseFont"]).split("+")[-1], text))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def _faces_by_postscript_name() -> dict[str, object]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {}
    for font in pdfmetrics._fonts.values():
        if isinstance(font, TTFont):
            face = font.face
            faces[(face.name + face.subfontNameX).decode("latin-1")] = face
    return faces


def test_b_every_symbol_is_drawn_with_a_font_that_has_it(tmp_path: Path) -> None:
    text = f"偏差 {SYMBOLS} 完成"
    document = Document(
        f"符号{SYMBOLS}",
        (
            Heading(1, f"标题{SYMBOLS}"),
            Paragraph(text),
            Table(
                (Column(1), Column(1)),
                (("指标", f"值{SYMBOLS}"),),
                ((f"温度{SYMBOLS}", "\u221210.50"), ("合计", Cell(text, bold=True))),
            ),
        ),
    )
    path = render_to_file(document, tmp_path / "symbols.pdf")
    runs = _drawn_with(path)
    faces = _faces_by_postscript_name()
    drawn = "".join(text for _font, text in runs)
    for ch in SYMBOLS:
        assert ch in drawn, ch
    for font, run in runs:
        face = faces[font]
        missing = [c for c in run if c.strip() and ord(c) not in face.charToGlyph]
        assert not missing, (font, run, missing)


def test_b_fallback_markup_wraps_only_missing_characters() -> None:
    from app.reports.fonts import default_fonts, symbol_fonts
    from app.reports.layout import FontRole
    from app.reports.pdf_glyphs import GlyphFallback

    fonts = default_fonts()
    song = fonts[FontRole.SONG].pdf_name
    fallback = GlyphFallback([*(f.pdf_name for f in fonts.values()), *symbol_fonts()])
    plain = fallback.markup("一般文字 1,350.00 <&>", song)
    assert plain == "一般文字 1,350.00 &lt;&amp;&gt;"
    marked = fallback.markup("a\u2212b", song)
    from reportlab.pdfbase import pdfmetrics

    lacks_minus = "\u2212" not in pdfmetrics.getFont(song).face.charToGlyph
    if lacks_minus and fallback.font_for("\u2212", song) is not None:
        assert marked.startswith("a<font name=")
        assert marked.endswith(">\u2212</font>b")


def test_c_docx_ending_with_landscape_has_no_empty_portrait_section(tmp_path: Path) -> None:
    wide = Table((Column(1),) * 3, (("甲", "乙", "丙"),), (("1", "2", "3"),))
    document = Document("横排结尾", (Paragraph("正文。"), Landscape((wide,))))
    path = render_to_file(document, tmp_path / "landscape.docx")
    sections = docx.Document(str(path)).sections
    assert len(sections) == 2
    assert sections[0].orientation == WD_ORIENT.PORTRAIT
    assert sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert sections[-1].page_width > sections[-1].page_height


def test_c_content_after_landscape_still_returns_to_portrait(tmp_path: Path) -> None:
    wide = Table((Column(1),) * 3, (("甲", "乙", "丙"),), (("1", "2", "3"),))
    document = Document("横排居中", (Landscape((wide,)), Paragraph("横排后的正文。")))
    path = render_to_file(document, tmp_path / "middle.docx")
    sections = docx.Document(str(path)).sections
    orientations = [s.orientation for s in sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]


def test_c_pdf_ending_with_landscape_has_no_trailing_blank_page(tmp_path: Path) -> None:
    wide = Table((Column(1),) * 3, (("甲", "乙", "丙"),), (("1", "2", "3"),))
    document = Document("横排结尾", (Paragraph("正文。"), Landscape((wide,))))
    path = render_to_file(document, tmp_path / "landscape.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    last = reader.pages[-1].mediabox
    assert last.width > last.height


def test_d_chart_helpers_are_public() -> None:
    from app.reports import charts

    for name in ("new_figure", "png", "style_axes"):
        assert callable(getattr(charts, name))
        assert not hasattr(charts, "_" + name)


def test_merge_repeats_merges_level2_within_level1() -> None:
    from app.reports import merge_repeats

    rows = (
        ("产出指标", "数量指标", "a", "1"),
        ("产出指标", "数量指标", "b", "2"),
        ("产出指标", "质量指标", "c", "3"),
        ("效益指标", "质量指标", "d", "4"),
        ("效益指标", "质量指标", "e", "5"),
    )
    merged = merge_repeats(rows, 2)
    assert merged == (
        (Cell("产出指标", rowspan=3), Cell("数量指标", rowspan=2), "a", "1"),
        ("b", "2"),
        ("质量指标", "c", "3"),  # same 二级 text as below, but another 一级: not merged
        (Cell("效益指标", rowspan=2), Cell("质量指标", rowspan=2), "d", "4"),
        ("e", "5"),
    )
    Table((Column(1),) * 4, (), merged)  # a valid grid
    assert merge_repeats((), 2) == ()


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "关于2024年度“耕地轮作休耕”项目绩效自评抽查复核的审核意见",
            ["关于2024年度“耕地轮作休耕”", "项目绩效自评抽查复核的审核意见"],
        ),
        (
            "示例县2025年1-6月项目支出绩效运行监控情况报告",
            ["示例县2025年1-6月项目", "支出绩效运行监控情况报告"],
        ),
        (  # never inside 预算绩效管理
            "关于示例县2024年度预算绩效管理工作情况的报告",
            ["关于示例县2024年度", "预算绩效管理工作情况的报告"],
        ),
    ],
)
def test_long_titles_break_between_words(title: str, lines: list[str]) -> None:
    from app.reports.layout import TITLE_PT, balance_title

    assert balance_title(title, TITLE_PT).split("\n") == lines
