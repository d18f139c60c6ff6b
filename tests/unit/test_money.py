from decimal import Decimal

import pytest

from app.domain.money import (
    fen_to_wan,
    fen_to_yuan,
    format_percent,
    format_wan,
    parse_decimal,
    parse_wan,
    round2,
    wan_to_fen,
    yuan_to_fen,
)


def test_yuan_and_fen_round_trip_exactly():
    assert yuan_to_fen(Decimal("1234.56")) == 123456
    assert fen_to_yuan(123456) == Decimal("1234.56")


def test_yuan_to_fen_rounds_half_up():
    assert yuan_to_fen(Decimal("0.005")) == 1
    assert yuan_to_fen(Decimal("0.0049")) == 0
    assert yuan_to_fen(Decimal("-0.005")) == -1


def test_wan_conversions():
    assert wan_to_fen(Decimal("678314.65")) == 678314650000
    assert fen_to_wan(678314650000) == Decimal("678314.65")


def test_format_wan_two_decimals_half_up():
    assert format_wan(1234500) == "1.23"
    assert format_wan(1235000) == "1.24"  # 1.235 万元 rounds up
    assert format_wan(0) == "0.00"
    assert format_wan(None) == ""
    assert format_wan(678314650000, grouping=True) == "678,314.65"


def test_round2_is_half_up_not_bankers():
    assert round2(Decimal("2.675")) == Decimal("2.68")
    assert round2(Decimal("4.785")) == Decimal("4.79")


def test_format_percent():
    assert format_percent(Decimal("0.38078")) == "38.08%"
    assert format_percent(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0.1, Decimal("0.1")), (3, Decimal(3)), (" 12.50 ", Decimal("12.50")), ("1e3", Decimal(1000))],
)
def test_parse_decimal_is_exact(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "", True, "NaN", "inf"])
def test_parse_decimal_rejects_non_numbers(raw):
    with pytest.raises(ValueError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("81.35", Decimal("813500")),
        (" 1,234.5 ", Decimal("12345000")),
        ("900，000", Decimal("9000000000")),
    ],
)
def test_parse_wan_reads_what_people_type(text, yuan):
    assert parse_wan(text) == yuan


def test_parse_wan_blank_is_none_and_words_are_named():
    assert parse_wan("  ") is None
    assert parse_wan("，") is None
    with pytest.raises(ValueError, match="“abc”不是数字（单位：万元）"):
        parse_wan(" abc ")
    with pytest.raises(ValueError, match="不是数字"):
        parse_wan("NaN")
