"""Document model, GB/T 9704 helpers and the CJK line-breaking rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports import layout
from app.reports.model import (
    Cell,
    Column,
    Heading,
    HeadingNumberer,
    Table,
    chinese_number,
    format_date,
)


def test_dates_have_no_zero_padding() -> None:
    assert format_date(dt.date(2025, 7, 1)) == "2025年7月1日"
    assert format_date(dt.date(2024, 12, 31)) == "2024年12月31日"


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九")]
)
def test_chinese_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_heading_numbers_reset_below_a_higher_level() -> None:
    numberer = HeadingNumberer()
    levels = [1, 2, 2, 3, 4, 4, 3, 1, 2, 3]
    labels = [numberer.label(Heading(level, "x")) for level in levels]
    assert labels == [
        "一、",
        "（一）",
        "（二）",
        "1.",
        "（1）",
        "（2）",
        "2.",
        "二、",
        "（一）",
        "1.",
    ]


def test_unnumbered_heading_does_not_advance_the_counter() -> None:
    numberer = HeadingNumberer()
    assert numberer.label(Heading(1, "前言", numbered=False)) == ""
    assert numberer.label(Heading(1, "基本情况")) == "一、"


def test_heading_level_is_checked() -> None:
    with pytest.raises(ValueError):
        Heading(5, "x")


def test_table_grid_places_cells_around_spans() -> None:
    table = Table(
        columns=(Column(),) * 3,
        header_rows=((Cell("甲", rowspan=2), Cell("乙", colspan=2)), ("丙", "丁")),
        body_rows=(("1", "2", "3"),),
    )
    positions = {(p.cell.text, p.row, p.col, p.header) for p in table.grid()}
    assert ("丙", 1, 1, True) in positions
    assert ("丁", 1, 2, True) in positions
    assert ("1", 2, 0, False) in positions


@pytest.mark.parametrize(
    "rows",
    [
        (("1", "2"),),  # too few cells
        (("1", "2", "3", "4"),),  # too many
        ((Cell("1", rowspan=2), "2", "3"),),  # span past the last row
    ],
)
def test_table_rejects_rows_that_do_not_fill_the_grid(rows: tuple) -> None:
    with pytest.raises(ValueError, match="表格第"):
        Table(columns=(Column(),) * 3, body_rows=rows)


def test_signature_date_starts_two_characters_right_of_the_org() -> None:
    org, date = "某某县财政局", "2025年7月1日"
    org_right, date_right = layout.signature_indents(org, date)
    assert date_right == 2  # 成文日期右空二字 when it is not longer than the org name
    org_start = org_right + layout.em_width(org)
    date_start = date_right + layout.em_width(date)
    assert org_start - date_start == pytest.approx(2)


def test_long_date_pushes_the_org_left() -> None:
    org_right, date_right = layout.signature_indents("财政局", "2025年12月31日")
    assert date_right == 2
    assert org_right > 2


def test_geometry_matches_gbt_9704() -> None:
    assert layout.PORTRAIT.text_width_mm == 156
    assert layout.PORTRAIT.text_height_mm == 225
    assert layout.LANDSCAPE.text_width_mm == 225
    assert [layout.mm_to_twips(m) for m in (37, 35, 28, 26)] == [2098, 1984, 1587, 1474]
    assert layout.page_number_text(7) == "— 7 —"


def test_numbers_shrink_but_chinese_wraps() -> None:
    assert layout.shrink_size("1,350.00", 40, 50, 10) == 10
    assert layout.shrink_size("1,350.00", 60, 50, 10) == pytest.approx(50 / 6)
    assert layout.shrink_size("1,350.00", 100, 50, 10) is None  # too small to read: wrap
    assert layout.shrink_size("县农业农村局", 60, 50, 10) is None


def test_line_never_starts_with_closing_punctuation() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from app.reports.fonts import default_fonts, install_cjk_linebreak_rules

    install_cjk_linebreak_rules()
    install_cjk_linebreak_rules()  # idempotent
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        assert module.ALL_CANNOT_START.count("，") == 1
    font = default_fonts()[layout.FontRole.FANGSONG].pdf_name
    style = ParagraphStyle("t", fontName=font, fontSize=16, leading=28, wordWrap="CJK")
    marks = "，。；：？！）》”’、"
    hung = 0
    for width_chars in range(6, 12):
        for mark in marks:
            text = ("预算绩效管理" * 3 + mark) * 4
            para = Paragraph(text, style)
            para.wrap(16 * width_chars, 1000)
            lines = [_line_text(line) for line in para.blPara.lines]
            assert not [line for line in lines[1:] if line[:1] in marks], (width_chars, lines)
            hung += sum(line.endswith(mark) for line in lines)
    assert hung > 0  # some marks fell on a line break and were kept on the line above


def _line_text(line: object) -> str:
    if isinstance(line, tuple):  # simple paragraphs: (extra space, [text])
        return "".join(line[1])
    return "".join(word.text for word in line.words)  # type: ignore[attr-defined]
