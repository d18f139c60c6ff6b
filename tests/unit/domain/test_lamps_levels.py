"""The level rule: rates (%, ‰, 年...) are judged against the full target in every round."""

import tomllib
from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.enums import Comparator, Lamp
from app.domain.errors import ValidationFailed
from app.domain.lamps import (
    IndicatorProgress,
    QualitativeProgress,
    bare_indicator_lamp,
    indicator_lamp,
    month_bound,
)
from app.domain.rules import rule_set_from_dict
from app.paths import default_rules_path

RED, YELLOW, GREEN, BLUE = Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE


def rate(current, target="90", unit="%", level2="服务对象满意度指标", comparator=Comparator.GE):
    return IndicatorProgress(
        name="服务对象满意度",
        level2=level2,
        comparator=comparator,
        annual_target=D(target),
        unit=unit,
        current_value=None if current is None else D(current),
    )


# Percent of the full target → lamp; the same edges as the pace rule, never scaled by month.
LEVEL_EDGES = [
    ("59.99", RED),
    ("60", YELLOW),
    ("79.99", YELLOW),
    ("80", GREEN),
    ("100", GREEN),
    ("119.99", GREEN),
    ("120", BLUE),
]


@pytest.mark.parametrize("month", [3, 6, 9, 12])
@pytest.mark.parametrize(("percent_of_target", "lamp"), LEVEL_EDGES)
def test_rate_bands_against_the_full_target(rules, month, percent_of_target, lamp):
    current = D(50) * D(percent_of_target) / 100  # target 50%: no cap at 100% in the way
    assert indicator_lamp(rate(current, "50"), month, rules).lamp is lamp


@pytest.mark.parametrize("month", [3, 6, 9])
def test_a_met_satisfaction_target_is_green_not_blue_mid_year(rules, month):
    # Before the rule: 94.61 ÷ (90 × 6/12) = 210% → blue in every round but December.
    assert indicator_lamp(rate("94.61"), month, rules).lamp is GREEN


def test_a_low_rate_is_red_even_in_march(rules):
    # By pace, 40% against 90% × 3/12 would have been 178% (blue).
    assert indicator_lamp(rate("40"), 3, rules).lamp is RED


@pytest.mark.parametrize("comparator", [Comparator.GE, Comparator.GT, Comparator.EQ])
def test_every_positive_comparator_uses_the_level_rule(rules, comparator):
    assert indicator_lamp(rate("100", "100", comparator=comparator), 6, rules).lamp is GREEN


@pytest.mark.parametrize(
    ("unit", "lamp"),
    [("%", GREEN), ("‰", GREEN), ("年", GREEN), ("分", GREEN), ("人", BLUE), ("", BLUE)],
)
def test_listed_units_only(rules, unit, lamp):
    # 90 of 90 in June: level rule → 100% green; pace rule → 200% blue.
    item = rate("90", unit=unit, level2="社会效益指标")
    assert indicator_lamp(item, 6, rules).lamp is lamp


def test_within_target_classes_keep_their_rule(rules):
    # 质量指标 in % stays "within target green, else red": 94.99 of ≥95 is red, not green.
    item = rate("94.99", "95", level2="质量指标")
    assert indicator_lamp(item, 6, rules).lamp is RED


def test_reverse_rates_keep_the_within_target_rule(rules):
    item = rate("3.1", "3", level2="社会效益指标", comparator=Comparator.LE)
    assert indicator_lamp(item, 6, rules).lamp is RED


def test_blank_rate_lights_no_lamp_but_zero_is_judged(rules):
    assert indicator_lamp(rate(None), 3, rules).lamp is None
    assert indicator_lamp(rate("0"), 3, rules).lamp is RED


def test_level_explanation(rules):
    result = indicator_lamp(rate("72"), 6, rules)
    assert result.explanation == (
        "当前完成值 72% ÷ 年度指标值 90% = 80.00%（比率类指标，不按序时折算），绿灯"
    )


def test_units_are_configurable(rules):
    paced = replace(rules, monitoring=replace(rules.monitoring, non_cumulative_units=()))
    assert indicator_lamp(rate("94.61"), 6, paced).lamp is BLUE


def _data():
    return tomllib.loads(default_rules_path().read_text(encoding="utf-8"), parse_float=D)


def test_rule_set_reads_units_trimmed_and_deduplicated():
    data = _data()
    data["monitoring"]["non_cumulative_units"] = [" % ", "%", "‰"]
    rules = rule_set_from_dict(data)
    assert rules.monitoring.non_cumulative_units == ("%", "‰")


@pytest.mark.parametrize("value", [["%", " "], "%", [1]])
def test_rule_set_rejects_bad_units(value):
    data = _data()
    data["monitoring"]["non_cumulative_units"] = value
    with pytest.raises(ValidationFailed) as caught:
        rule_set_from_dict(data)
    assert any("monitoring.non_cumulative_units" in p.message for p in caught.value.problems)


def test_default_units(rules):
    assert {"%", "‰"} <= set(rules.monitoring.non_cumulative_units)


MONTH_FREE = [
    rate("50"),  # level rule (%)
    rate("3", target="5", unit="起", comparator=Comparator.LE),  # within target
    rate(None),  # no current value: no lamp
    replace(
        rate(None),
        comparator=Comparator.QUALITATIVE,
        qualitative_progress=QualitativeProgress.PARTLY,
    ),
]


@pytest.mark.parametrize("item", MONTH_FREE)
def test_rows_not_bound_to_the_month_have_one_lamp_all_year(rules, item):
    # The dashboard decides such a row once for the year's rounds.
    assert not month_bound(item, rules)
    assert len({bare_indicator_lamp(item, month, rules) for month in range(1, 13)}) == 1


def test_a_pace_row_is_bound_to_the_month(rules):
    item = rate("60", target="120", unit="人次")  # 50% done: ahead in March, behind in December
    assert month_bound(item, rules)
    assert bare_indicator_lamp(item, 3, rules) is not bare_indicator_lamp(item, 12, rules)
