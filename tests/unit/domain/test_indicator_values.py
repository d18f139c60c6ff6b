from decimal import Decimal

import pytest

from app.domain.enums import Comparator
from app.domain.indicator_values import (
    CellLocation,
    IndicatorValue,
    canonical_level,
    format_target,
    normalize_level_label,
    normalize_name,
    parse_comparator,
    parse_indicator_value,
    parse_number,
    read_indicator_cells,
    split_level_label,
)
from app.domain.numbers import plain

GE, GT, EQ, LE, LT, QUAL = (
    Comparator.GE,
    Comparator.GT,
    Comparator.EQ,
    Comparator.LE,
    Comparator.LT,
    Comparator.QUALITATIVE,
)


@pytest.mark.parametrize(
    ("raw", "comparator", "number", "unit"),
    [
        ("≥95%", GE, "95", "%"),
        ("≤90万元", LE, "90", "万元"),
        (">=1200人", GE, "1200", "人"),
        ("=>1200人", GE, "1200", "人"),
        ("≧ 1200 人", GE, "1200", "人"),
        ("＞50", GT, "50", ""),
        (">50", GT, "50", ""),
        ("＜3天", LT, "3", "天"),
        ("<3天", LT, "3", "天"),
        ("<=5个工作日", LE, "5", "个工作日"),
        ("≦5", LE, "5", ""),
        ("═100%", EQ, "100", "%"),
        ("﹦1", EQ, "1", ""),
        ("＝1", EQ, "1", ""),
        ("==1", EQ, "1", ""),
        ("=1", EQ, "1", ""),
        ("100%", None, "100", "%"),
        ("650元/人*月", None, "650", "元/人*月"),
        ("1,200", None, "1200", ""),
        ("1,234,567.89元", None, "1234567.89", "元"),
        ("１２００", None, "1200", ""),
        ("≥９５．５％", GE, "95.5", "%"),
        ("  ≥ 95 %  ", GE, "95", "%"),
        ("不低于95%", GE, "95", "%"),
        ("不超过90万元", LE, "90", "万元"),
        ("0.5", None, "0.5", ""),
    ],
)
def test_parse_quantitative_forms(raw, comparator, number, unit):
    value = parse_indicator_value(raw)
    assert value.comparator is comparator
    assert value.number == Decimal(number)
    assert value.unit == unit


@pytest.mark.parametrize(
    ("raw", "comparator", "text"),
    [
        ("定性", QUAL, ""),
        ("定性：达到预期", QUAL, "达到预期"),
        ("达到预期", None, "达到预期"),
        ("有效改善", None, "有效改善"),
        ("2025年12月底前", None, "2025年12月底前"),  # digits after the number: not a unit
        ("1,2", None, "1,2"),  # not a thousands grouping
        ("不低于往年", None, "不低于往年"),  # a word comparator needs a number
        ("", None, ""),
        (None, None, ""),
    ],
)
def test_parse_text_forms(raw, comparator, text):
    value = parse_indicator_value(raw)
    assert value.comparator is comparator
    assert value.number is None
    assert value.text == text


def test_is_text_only():
    assert parse_indicator_value("达到预期").is_text_only
    assert parse_indicator_value("定性").is_text_only
    assert not parse_indicator_value("≥95%").is_text_only
    assert not parse_indicator_value("≥达到预期").is_text_only


def test_numbers_from_cells():
    assert parse_number(1200) == Decimal(1200)
    assert parse_number(0.1) == Decimal("0.1")
    assert parse_number("1,200.50") == Decimal("1200.50")
    assert parse_number("１２００") == Decimal(1200)
    assert parse_number("12人") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (">=", GE),
        ("≧", GE),
        ("≥", GE),
        ("=>", GE),
        ("＞", GT),
        (">", GT),
        ("＜", LT),
        ("<", LT),
        ("<=", LE),
        ("≦", LE),
        ("≤", LE),
        ("=", EQ),
        ("＝", EQ),
        ("═", EQ),
        ("﹦", EQ),
        ("==", EQ),
        (" 定性 ", QUAL),
        ("正向", None),
        ("约", None),
    ],
)
def test_parse_comparator(raw, expected):
    assert parse_comparator(raw) is expected


@pytest.mark.parametrize(
    ("raw", "name", "weight"),
    [
        ("产出指标(50分)", "产出指标", Decimal(50)),
        ("产出指标（50分）", "产出指标", Decimal(50)),
        ("产出指标 （ 50 分 ）", "产出指标", Decimal(50)),
        ("满意度指标（10）", "满意度指标", Decimal(10)),
        ("效益指标30分", "效益指标", Decimal(30)),
        ("产出指标", "产出指标", None),
        ("PM2.5", "PM2.5", None),  # a bare trailing number is not a weight
    ],
)
def test_split_level_label(raw, name, weight):
    assert split_level_label(raw) == (name, weight)


def test_names_lose_stray_spaces():
    assert normalize_name("经济效益 指标") == "经济效益指标"
    assert normalize_name(" 社会\u3000效益  指标 ") == "社会效益指标"
    assert normalize_level_label("产出 指标（50分）") == "产出指标"


def test_canonical_level_accepts_missing_suffix():
    known = ("数量指标", "质量指标")
    assert canonical_level("数量", known) == "数量指标"
    assert canonical_level("质量 指标", known) == "质量指标"
    assert canonical_level("成本", known) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(50), "50"),
        (Decimal("50.0"), "50"),
        (Decimal("1.2E+3"), "1200"),
        (Decimal("95.50"), "95.5"),
        (Decimal("0.05"), "0.05"),
    ],
)
def test_plain(value, expected):
    assert plain(value) == expected


def test_format_target_display_forms():
    assert format_target(GE, Decimal("50.0"), "个") == "≥50个"
    assert format_target(LE, Decimal(90), "万元") == "≤90万元"
    assert format_target(GE, Decimal(95), "%") == "≥95%"
    assert format_target(EQ, Decimal(1), "个") == "=1个"
    assert format_target(LT, Decimal("2.5"), "天") == "<2.5天"
    assert format_target(QUAL, None, "", "达到预期") == "达到预期"
    assert format_target(QUAL, None) == "定性"


@pytest.mark.parametrize("raw", ["≥95%", "≤90万元", ">=1200人", "═100%", "650元/人*月"])
def test_parse_then_format_round_trip(raw):
    value = parse_indicator_value(raw)
    again = parse_indicator_value(format_target(value.comparator, value.number, value.unit))
    assert (again.comparator, again.number, again.unit) == (
        value.comparator,
        value.number,
        value.unit,
    )


# --- three cells of a row --------------------------------------------------------------

AT = CellLocation(sheet="绩效目标", row=7)


def test_cells_agreeing_give_no_problem():
    value, problems = read_indicator_cells("≥95", "≥", "%", AT)
    assert value == IndicatorValue(GE, Decimal(95), "%", "≥95")
    assert problems == []


def test_comparator_from_nature_column():
    value, problems = read_indicator_cells("1200", ">=", "人", AT)
    assert value.comparator is GE
    assert value.unit == "人"
    assert problems == []


def test_conflicting_comparators_are_blocking():
    value, problems = read_indicator_cells("≥95%", "≤", "", AT)
    assert value.comparator is LE  # the column is kept
    assert len(problems) == 1
    problem = problems[0]
    assert problem.blocking
    assert (problem.sheet, problem.row, problem.column) == ("绩效目标", 7, "指标性质")
    assert "矛盾" in problem.message


def test_same_comparator_spelled_differently_is_no_conflict():
    _, problems = read_indicator_cells("≧95%", ">=", "", AT)
    assert problems == []


def test_direction_words_in_nature_column():
    assert read_indicator_cells("95%", "正向", "")[0].comparator is GE
    assert read_indicator_cells("3天", "反向指标", "")[0].comparator is LE
    assert read_indicator_cells(">95%", "正向", "")[0].comparator is GT
    _, problems = read_indicator_cells("≥5天", "反向", "")
    assert [p.blocking for p in problems] == [True]


def test_bare_number_defaults_to_equals_with_warning():
    value, problems = read_indicator_cells("100%", "", "", AT)
    assert value.comparator is EQ
    assert [(p.column, p.blocking) for p in problems] == [("指标值", False)]


def test_quantitative_word_keeps_comparator_of_value():
    value, problems = read_indicator_cells("≤3天", "定量", "")
    assert value.comparator is LE
    assert problems == []


def test_text_value_is_qualitative():
    value, problems = read_indicator_cells("达到预期", "", "")
    assert value.comparator is QUAL
    assert problems == []


def test_qualitative_nature_with_number_warns():
    value, problems = read_indicator_cells("95%", "定性", "")
    assert value.comparator is QUAL
    assert [p.blocking for p in problems] == [False]


def test_unknown_nature_is_blocking():
    value, problems = read_indicator_cells("≥95%", "大约", "")
    assert value.comparator is GE
    assert [(p.column, p.blocking) for p in problems] == [("指标性质", True)]


def test_unit_cell_wins_over_unit_in_value():
    value, problems = read_indicator_cells(">=1200人", "", "人次", AT)
    assert value.unit == "人次"
    assert [(p.column, p.blocking) for p in problems] == [("计量单位", False)]
    value, problems = read_indicator_cells(">=1200人", "", "人", AT)
    assert value.unit == "人"
    assert problems == []
