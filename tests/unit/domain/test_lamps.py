from dataclasses import replace
from decimal import Decimal

import pytest

from app.domain.enums import Comparator, DeviationCategory, Lamp
from app.domain.lamps import (
    IndicatorProgress,
    QualitativeProgress,
    RoundEntry,
    bare_indicator_lamp,
    budget_lamp,
    city_notices,
    evaluate_round,
    execution_rate,
    indicator_lamp,
    lit_project_lamp,
    missing_reasons,
    project_lamp,
    time_progress,
    worst_lamp,
)
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path

D = Decimal
RED, YELLOW, GREEN, BLUE = Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.BLUE


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set(default_rules_path())


@pytest.fixture(scope="module")
def gap_rules(rules) -> RuleSet:
    return replace(rules, monitoring=replace(rules.monitoring, budget_rule="gap"))


@pytest.fixture(scope="module")
def city_rules(rules) -> RuleSet:
    return replace(rules, monitoring=replace(rules.monitoring, city_flags=True))


@pytest.mark.parametrize(("month", "expected"), [(3, "0.25"), (6, "0.5"), (9, "0.75"), (12, "1")])
def test_time_progress(month, expected):
    assert time_progress(month) == D(expected)


@pytest.mark.parametrize("month", [0, 13])
def test_time_progress_rejects_bad_month(month):
    with pytest.raises(ValueError):
        time_progress(month)


def test_execution_rate():
    assert execution_rate(D(200), D(50)) == D("0.25")
    assert execution_rate(D(0), D(50)) is None


def test_no_budget_lights_no_lamp(rules):
    result = budget_lamp(None, 6, rules.monitoring)
    assert result.lamp is None and "无法计算" in result.explanation


# v = rate ÷ time progress, given in %; the rate is derived so each month is exercised.
RATIO_EDGES = [("59.99", RED), ("60", YELLOW), ("79.99", YELLOW), ("80", GREEN), ("150", GREEN)]


@pytest.mark.parametrize("month", [3, 6, 9, 12])
@pytest.mark.parametrize(("v_percent", "lamp"), RATIO_EDGES)
def test_ratio_rule_band_edges(rules, month, v_percent, lamp):
    rate = D(v_percent) / 100 * D(month) / 12
    assert budget_lamp(rate, month, rules.monitoring).lamp is lamp


def test_ratio_rule_at_a_month_with_repeating_progress(rules):
    # Month 7: progress 58.33..%. 0.6 × 7/12 = 0.35 exactly sits on the yellow edge.
    assert budget_lamp(D("0.35"), 7, rules.monitoring).lamp is YELLOW
    assert budget_lamp(D("0.3499"), 7, rules.monitoring).lamp is RED


def test_ratio_explanation(rules):
    result = budget_lamp(D("0.3"), 6, rules.monitoring)
    assert result.explanation == "执行率 30.00% ÷ 序时进度 50.00% = 60.00%，黄灯"


@pytest.mark.parametrize(
    ("month", "rate", "lamp"),
    [
        (3, "0.15", GREEN),  # 10 pp behind 25%: not more than 10
        (3, "0.1499", RED),
        (6, "0.40", GREEN),
        (6, "0.3999", RED),
        (9, "0.65", GREEN),
        (9, "0.6499", RED),
        (12, "0.90", GREEN),
        (12, "0.8999", RED),
        (12, "1.10", GREEN),  # ahead of time progress
    ],
)
def test_gap_rule(gap_rules, month, rate, lamp):
    assert budget_lamp(D(rate), month, gap_rules.monitoring).lamp is lamp


def test_gap_explanation(gap_rules):
    result = budget_lamp(D("0.3"), 6, gap_rules.monitoring)
    assert result.lamp is RED
    assert "落后 20.00 个百分点" in result.explanation and "红灯" in result.explanation


def progress(comparator=Comparator.GE, level2="数量指标", target="1200", current=None, **kw):
    return IndicatorProgress(
        name="培训人数",
        level2=level2,
        comparator=comparator,
        annual_target=None if target is None else D(target),
        unit="人",
        current_value=None if current is None else D(current),
        **kw,
    )


PACE_EDGES = [
    ("59.99", RED),
    ("60", YELLOW),
    ("79.99", YELLOW),
    ("80", GREEN),
    ("119.99", GREEN),
    ("120", BLUE),
]


@pytest.mark.parametrize("month", [3, 6, 9, 12])
@pytest.mark.parametrize(("pace_percent", "lamp"), PACE_EDGES)
@pytest.mark.parametrize("comparator", [Comparator.GE, Comparator.GT, Comparator.EQ])
def test_positive_indicator_pace_bands(rules, month, pace_percent, lamp, comparator):
    current = D(1200) * D(month) / 12 * D(pace_percent) / 100
    item = progress(comparator, current=str(current))
    assert indicator_lamp(item, month, rules).lamp is lamp


def test_pace_explanation(rules):
    result = indicator_lamp(progress(current="300"), 6, rules)
    assert result.explanation == "当前完成值 300人 ÷（年度指标值 1200人 × 6/12）= 50.00%，红灯"


@pytest.mark.parametrize(
    ("comparator", "level2", "target", "current", "lamp"),
    [
        (Comparator.LE, "数量指标", "90", "90", GREEN),
        (Comparator.LE, "数量指标", "90", "90.01", RED),
        (Comparator.LT, "数量指标", "90", "89.99", GREEN),
        (Comparator.LT, "数量指标", "90", "90", RED),
        (Comparator.GE, "质量指标", "95", "95", GREEN),  # within target, not paced
        (Comparator.GE, "质量指标", "95", "94.99", RED),
        (Comparator.EQ, "时效指标", "100", "100", GREEN),
        (Comparator.LE, "成本指标", "650", "651", RED),
        (Comparator.EQ, "数量指标", "0", "0", GREEN),  # "=0 起": none at all
        (Comparator.EQ, "数量指标", "0", "1", RED),
    ],
)
def test_within_target_indicators(rules, comparator, level2, target, current, lamp):
    item = progress(comparator, level2, target, current)
    # Month 3 would be red by pace for ≥95 at 95; within-target ignores the time of year.
    assert indicator_lamp(item, 3, rules).lamp is lamp


@pytest.mark.parametrize(
    ("state", "lamp"),
    [
        (QualitativeProgress.ACHIEVED, GREEN),
        (QualitativeProgress.PARTLY, YELLOW),
        (QualitativeProgress.MISSED, RED),
        (None, None),
    ],
)
def test_qualitative_indicators(rules, state, lamp):
    item = progress(Comparator.QUALITATIVE, "社会效益指标", None, qualitative_progress=state)
    assert indicator_lamp(item, 6, rules).lamp is lamp


def test_indicator_without_current_value_is_unlit(rules):
    assert indicator_lamp(progress(current=None), 6, rules).lamp is None


@pytest.mark.parametrize(
    ("lamps", "worst"),
    [
        ([GREEN, BLUE, YELLOW, RED], RED),
        ([GREEN, BLUE, YELLOW], YELLOW),
        ([GREEN, BLUE], BLUE),
        ([GREEN, None], GREEN),
        ([None], None),
        ([], None),
    ],
)
def test_worst_lamp(lamps, worst):
    assert worst_lamp(lamps) is worst


def test_worst_lamp_reads_nothing_after_red():
    lamps = iter([GREEN, RED, YELLOW])
    assert worst_lamp(lamps) is RED
    assert list(lamps) == [YELLOW]  # never read: a lazily decided lamp is never decided


def entry(month=6, spent="500000", indicators=(), **kw):
    return RoundEntry(
        month=month, budget=D(1000000), spent=D(spent), indicators=tuple(indicators), **kw
    )


def test_evaluate_round_takes_the_worst(rules):
    items = [progress(current="600"), progress(current="300")]  # green, red
    lamps = evaluate_round(entry(indicators=items), rules)
    assert lamps.budget.lamp is GREEN
    assert [r.lamp for r in lamps.indicators] == [GREEN, RED]
    assert lamps.project is RED
    assert lamps.notices == ()


@pytest.mark.parametrize(
    ("month", "spent", "items"),
    [
        (6, "500000", [progress(current="600"), progress(current="300")]),
        (6, "200000", [progress(current="1200")]),  # budget yellow, indicator blue
        (3, "250000", [progress(current="400"), progress(current=None)]),
        (9, "900000", [progress(Comparator.LE, target="5", current="6")]),
        (12, "0", [progress(Comparator.QUALITATIVE, target=None)]),
        (
            12,
            "1000000",
            [
                progress(
                    Comparator.QUALITATIVE,
                    target=None,
                    qualitative_progress=QualitativeProgress.PARTLY,
                )
            ],
        ),
        (6, "500000", []),
    ],
)
@pytest.mark.parametrize("rule_set", ["rules", "gap_rules"])
def test_project_lamp_is_evaluate_rounds_without_the_words(rule_set, month, spent, items, request):
    rules = request.getfixturevalue(rule_set)
    data = entry(month=month, spent=spent, indicators=items)
    assert project_lamp(data, rules) is evaluate_round(data, rules).project
    lamps = [bare_indicator_lamp(item, month, rules) for item in items]
    assert lamps == [r.lamp for r in evaluate_round(data, rules).indicators]
    lit = lit_project_lamp(month, data.budget, data.spent, lamps, rules)
    assert lit is evaluate_round(data, rules).project


def test_reasons_required_for_red_and_yellow(rules):
    items = [
        progress(current="600"),  # green: no reason needed
        progress(current="400"),  # 66.67% → yellow
        progress(current="300", row=14),  # red, reported at the reader's row
    ]
    data = entry(spent="300000", indicators=items)  # budget 60% → yellow
    problems = missing_reasons(data, evaluate_round(data, rules))
    located = [(p.row, p.column) for p in problems]
    assert located == [
        (None, "偏差原因类别"),
        (None, "偏差原因"),
        (2, "偏差原因类别"),
        (2, "偏差原因"),
        (14, "偏差原因类别"),
        (14, "偏差原因"),
    ]
    assert all(p.blocking for p in problems)
    assert "黄灯" in problems[0].message and "红灯" in problems[4].message


def test_reasons_given_satisfy_the_check(rules):
    reason = {"deviation_category": DeviationCategory.FUNDING, "deviation_reason": "资金未到位"}
    items = [progress(current="300", **reason)]
    data = entry(
        spent="300000",
        indicators=items,
        budget_deviation_category=DeviationCategory.OTHER,
        budget_deviation_reason="招标延期",
    )
    assert missing_reasons(data, evaluate_round(data, rules)) == []
    half = entry(spent="300000", budget_deviation_category=DeviationCategory.OTHER)
    problems = missing_reasons(half, evaluate_round(half, rules))
    assert [p.column for p in problems] == ["偏差原因"]


def test_blue_needs_no_reason(rules):
    data = entry(indicators=[progress(current="900")])  # 150% of pace
    lamps = evaluate_round(data, rules)
    assert lamps.project is BLUE
    assert missing_reasons(data, lamps) == []


@pytest.mark.parametrize(
    ("month", "rate", "expected"),
    [
        (9, "0.7999", "9月末执行率 79.99% 低于 80.00%，按规定收回滞后资金"),
        (9, "0.80", None),
        (11, "0.8999", "11月执行率 89.99% 低于 90.00%，下年预算按实际支出核定"),
        (11, "0.90", None),
        (10, "0.10", None),
    ],
)
def test_city_notices(city_rules, month, rate, expected):
    notices = city_notices(D(rate), month, city_rules.monitoring)
    assert notices == ([expected] if expected else [])


def test_city_notices_off_by_default(rules):
    assert city_notices(D("0.1"), 9, rules.monitoring) == []
    assert city_notices(None, 9, replace(rules.monitoring, city_flags=True)) == []


def test_evaluate_round_carries_city_notice(city_rules):
    lamps = evaluate_round(entry(month=9, spent="700000"), city_rules)
    assert len(lamps.notices) == 1 and "收回滞后资金" in lamps.notices[0]
