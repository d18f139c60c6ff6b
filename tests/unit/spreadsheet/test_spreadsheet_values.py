"""Cell conversion per column kind: untidy but unambiguous input is accepted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.spreadsheet.columns import Column, Kind, SheetSpec, normalise_label
from app.spreadsheet.values import (
    FORMULA_WITHOUT_RESULT,
    ErrorValue,
    PercentNumber,
    convert,
    is_blank,
    is_plain_text,
    trimmed,
)

TEXT = Column("名称", "name")
CODE = Column("项目编码", "code", Kind.CODE)
AMOUNT = Column("数量", "amount", Kind.DECIMAL)
RATE = Column("完成率", "rate", Kind.DECIMAL, percent=True)
MONEY = Column("资金总额(万元)", "total", Kind.MONEY_WAN)
COUNT = Column("个数", "count", Kind.INTEGER)
YEAR = Column("年度", "year", Kind.YEAR)
ATTR = Column("项目属性", "attr", Kind.CHOICE, choices=("新增", "延续"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        ("１２３.５", Decimal("123.5")),
        ("1,234.50", Decimal("1234.50")),
        ("１，２３４．５", Decimal("1234.5")),
        (" 12 ", Decimal(12)),
        ("−3", Decimal(-3)),
    ],
)
def test_numbers_from_cells_and_untidy_text(raw, expected):
    assert convert(AMOUNT, raw) == expected


@pytest.mark.parametrize("raw", ["1,23", "12,3456", "abc", "95%", "NaN", "1.2.3", True])
def test_ambiguous_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        convert(AMOUNT, raw)


def test_percent_column_reads_percent_points_every_way():
    assert convert(RATE, "95%") == Decimal(95)
    assert convert(RATE, "９５．５％") == Decimal("95.5")
    assert convert(RATE, 95) == Decimal(95)
    assert convert(RATE, PercentNumber(0.955)) == Decimal("95.5")


def test_money_in_wan_becomes_yuan_rounded_to_fen():
    assert convert(MONEY, 12.345678) == Decimal("123456.78")
    assert convert(MONEY, "1,234.5") == Decimal("12345000.00")
    # float noise from a formula must not survive
    assert convert(MONEY, 0.30000000000000004) == Decimal("3000.00")


def test_codes_keep_text_and_leading_zeros():
    assert convert(CODE, " 0012 ") == "0012"
    assert convert(CODE, 2080505) == "2080505"
    assert convert(CODE, 2080505.0) == "2080505"
    assert convert(CODE, "２０８ ０５０５") == "2080505"
    assert convert(CODE, "'0012") == "0012"
    with pytest.raises(ValueError, match="15 位"):
        convert(CODE, 1.2345678901234567e17)
    with pytest.raises(ValueError, match="小数"):
        convert(CODE, 12.5)


def test_integer_and_year():
    assert convert(COUNT, "1,200") == 1200
    assert convert(COUNT, 3.0) == 3
    with pytest.raises(ValueError, match="整数"):
        convert(COUNT, 2.5)
    assert convert(YEAR, "2025年") == 2025
    assert convert(YEAR, "２０２５") == 2025
    with pytest.raises(ValueError, match="年份"):
        convert(YEAR, 25)


def test_dates_in_number_columns_are_problems_and_text_in_text_columns():
    for column in (AMOUNT, MONEY, YEAR, CODE, ATTR):
        with pytest.raises(ValueError, match="日期"):
            convert(column, dt.datetime(2025, 3, 1))
    assert convert(TEXT, dt.datetime(2025, 3, 1)) == "2025-03-01"


def test_choices_match_after_folding_spaces_and_width():
    assert convert(ATTR, " 新 增 ") == "新增"
    with pytest.raises(ValueError, match="新增、延续"):
        convert(ATTR, "新建")


def test_formula_without_result_and_error_values():
    with pytest.raises(ValueError, match="公式但没有计算结果"):
        convert(AMOUNT, FORMULA_WITHOUT_RESULT)
    with pytest.raises(ValueError, match="#DIV/0!"):
        convert(AMOUNT, ErrorValue("#DIV/0!"))


def test_text_is_trimmed_and_floats_shown_plainly():
    assert convert(TEXT, "  道路维修\u3000\xa0") == "道路维修"
    assert convert(TEXT, 5.0) == "5"
    assert is_blank(" \u3000 ") and is_blank(None) and not is_blank(0)


def test_labels_fold_width_spaces_and_required_marker():
    assert normalise_label(" 资金总额（万元）\n*") == "资金总额(万元)"
    assert normalise_label("项目\u200b编码") == "项目编码"


def test_custom_parser_replaces_the_kind():
    def parse(value):
        if value != "是":
            raise ValueError("只能填“是”")
        return True

    column = Column("确认", "ok", parser=parse)
    assert convert(column, " 是 ") is True
    with pytest.raises(ValueError, match="只能填"):
        convert(column, "否")


def test_specs_refuse_inconsistent_declarations():
    with pytest.raises(ValueError):
        Column("属性", "attr", Kind.CHOICE)
    with pytest.raises(ValueError):
        Column("金额", "m", Kind.MONEY_WAN, percent=True)
    with pytest.raises(ValueError):
        SheetSpec("表", [Column("甲", "a"), Column("甲 ", "b")])
    with pytest.raises(ValueError):
        SheetSpec("表", [Column("甲", "a")], unique=[("b",)])


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize("column", [AMOUNT, RATE, MONEY, COUNT, TEXT], ids=lambda c: c.key)
def test_nan_and_infinity_are_refused_in_any_column(column, raw):
    with pytest.raises(ValueError, match="NaN 或无穷大"):
        convert(column, raw)


@pytest.mark.parametrize(
    "raw", [99999999999999999999, 1e308, -1e308, "1e308", "99999999999999999999", 10**12]
)
@pytest.mark.parametrize("column", [AMOUNT, RATE, COUNT], ids=lambda c: c.key)
def test_numbers_beyond_sane_bounds_are_refused(column, raw):
    with pytest.raises(ValueError, match="超出合理范围"):
        convert(column, raw)


@pytest.mark.parametrize("raw", [99999999999999999999, 1e308, -1e308, "1e308", 10**8])
def test_amounts_beyond_a_trillion_yuan_are_refused(raw):
    with pytest.raises(ValueError, match="应小于 1 万亿元"):
        convert(MONEY, raw)


def test_large_but_plausible_numbers_still_read():
    assert convert(MONEY, 99999999.99) == Decimal("999999999900.00")
    assert convert(COUNT, 999_999_999_999) == 999_999_999_999
    assert convert(AMOUNT, "-123456789.5") == Decimal("-123456789.5")


def test_a_custom_parser_result_is_bounded_too():
    column = Column("完成值", "value", parser=lambda v: Decimal(str(v)))
    with pytest.raises(ValueError, match="超出合理范围"):
        convert(column, 1e300)


@pytest.mark.parametrize(
    "raw",
    [
        " 道路 ",
        "\u3000维修\xa0",
        "\u200b编码\ufeff",
        "a\tb",
        "  ",
        "",
        None,
        12.0,
        True,
        PercentNumber(0.5),
        ErrorValue("#N/A"),
        FORMULA_WITHOUT_RESULT,
        dt.date(2025, 1, 2),
    ],
)
def test_trimmed_cells_convert_as_the_raw_ones(raw):
    """The reader trims once and skips convert() for plain text: the same typed value."""
    cell = trimmed(raw)
    assert (cell is None) == is_blank(raw)
    if cell is None:
        return
    for column in (TEXT, CODE, AMOUNT, ATTR):
        try:
            expected = convert(column, raw)
        except ValueError as exc:
            with pytest.raises(ValueError, match=str(exc)):
                convert(column, cell)
            continue
        assert convert(column, cell) == expected
        if is_plain_text(column) and isinstance(cell, str):
            assert cell == expected


def test_plain_text_columns_are_text_without_a_parser():
    assert is_plain_text(TEXT)
    assert not is_plain_text(Column("指标值", "value", parser=str))
    assert not any(is_plain_text(c) for c in (CODE, AMOUNT, MONEY, YEAR, ATTR))
