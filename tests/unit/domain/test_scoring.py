"""Self-evaluation scoring (docs/domain.md §6): every rule at its edges."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.enums import Comparator, Grade, QualitativeBand
from app.domain.numbers import plain, wan
from app.domain.rules import ExecutionCap, RuleSet, load_rule_set
from app.domain.scoring import (
    ApprovedTerms,
    EvaluationInput,
    IndicatorInput,
    qualitative_range,
    score_evaluation,
    score_execution,
    score_indicator,
)
from app.paths import default_rules_path

RULES = load_rule_set(default_rules_path())
WAN = D(10000)


def quant(
    comparator: Comparator, target: str | None, actual: str | None, points: str = "5", **kw
) -> IndicatorInput:
    return IndicatorInput(
        level1=kw.pop("level1", "产出指标"),
        level2=kw.pop("level2", "数量指标"),
        name=kw.pop("name", "培训人数"),
        comparator=comparator,
        target=None if target is None else D(target),
        unit=kw.pop("unit", ""),
        points=D(points),
        actual=None if actual is None else D(actual),
        **kw,
    )


def qual(band: QualitativeBand | None, entered: str | None, points: str = "10", **kw):
    return IndicatorInput(
        level1="效益指标",
        level2="社会效益指标",
        name="群众知晓度",
        comparator=Comparator.QUALITATIVE,
        target=None,
        unit="",
        points=D(points),
        band=band,
        entered_score=None if entered is None else D(entered),
        **kw,
    )


def with_scoring(**changes) -> RuleSet:
    return replace(RULES, scoring=replace(RULES.scoring, **changes))


# ---------------------------------------------------------------- number display


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1150.00", "1150"), ("1E+3", "1000"), ("4.50", "4.5"), ("-0", "0"), ("0.000", "0"),
     ("0.125", "0.125"), ("-3.10", "-3.1")],
)  # fmt: skip
def test_plain_drops_trailing_zeros_without_exponent(value, shown):
    assert plain(D(value)) == shown


def test_wan_shows_yuan_in_wan_with_two_decimals():
    assert wan(D("3500000")) == "350.00"
    assert wan(D("12345")) == "1.23"


# ---------------------------------------------------------------- execution


def test_execution_rate_times_points_with_explanation():
    result = score_execution(400 * WAN, 350 * WAN, RULES)
    assert result.score == D("8.75")
    assert result.rate == D("0.875")
    assert result.explanation == "执行率 87.50%（350.00/400.00万元）×10 = 8.75"
    assert result.flags == ()


def test_execution_rounds_half_up():
    # 325/400 × 10 = 8.125: half-even would give 8.12
    assert score_execution(400 * WAN, 325 * WAN, RULES).score == D("8.13")


def test_execution_above_100_percent_counts_as_100_and_is_flagged():
    result = score_execution(400 * WAN, 420 * WAN, RULES)
    assert result.score == D("10")
    assert "超过100%按100%计" in result.explanation
    assert result.flags == ("全年执行数超过全年预算数",)


def test_execution_with_zero_budget_scores_zero_and_explains():
    result = score_execution(D(0), 5 * WAN, RULES)
    assert result.score == 0
    assert result.rate is None
    assert "无法计算执行率" in result.explanation
    assert result.flags


def test_execution_negative_spent_scores_zero():
    result = score_execution(400 * WAN, -1 * WAN, RULES)
    assert result.score == 0
    assert "全年执行数为负数" in result.flags


def test_execution_uses_rule_set_points_for_a_province_layout():
    province = replace(RULES, goals=replace(RULES.goals, execution_points=D(20)))
    result = score_execution(400 * WAN, 350 * WAN, province)
    assert result.score == D("17.5")
    assert result.explanation.endswith("×20 = 17.5")


def test_execution_claim_differs():
    assert score_execution(400 * WAN, 350 * WAN, RULES, D(10)).flags == (
        "自评得分10与按规则计算的8.75不一致",
    )


# ---------------------------------------------------------------- positive indicators


def test_missed_positive_target_scores_in_proportion():
    result = score_indicator(quant(Comparator.GE, "1200", "1150", reason="培训场地不足"), RULES)
    assert result.score == D("4.79")
    assert result.explanation == "实际1150 < 目标≥1200，按完成比例 1150/1200×5 = 4.79"
    assert not result.target_met
    assert result.flags == ()


def test_met_positive_target_scores_full_with_units():
    ind = quant(Comparator.GE, "95", "98.00", unit="%")
    result = score_indicator(ind, RULES)
    assert result.score == D(5)
    assert result.explanation == "实际98% ≥ 目标≥95%，得满分 5"
    assert result.target_met


@pytest.mark.parametrize("comparator", [Comparator.GE, Comparator.GT, Comparator.EQ])
def test_actual_equal_to_target_is_full_marks(comparator):
    assert score_indicator(quant(comparator, "50", "50"), RULES).score == D(5)


def test_proportional_score_rounds_half_up():
    # 1/40 × 5 = 0.125 → 0.13 (half-even would give 0.12)
    assert score_indicator(quant(Comparator.GE, "40", "1"), RULES).score == D("0.13")


def test_negative_actual_on_positive_indicator_scores_zero():
    result = score_indicator(quant(Comparator.GE, "100", "-5"), RULES)
    assert result.score == 0
    assert "得 0 分" in result.explanation


@pytest.mark.parametrize(("actual", "score"), [("0", "5"), ("3", "5"), ("-1", "0")])
def test_ge_with_target_zero(actual, score):
    assert score_indicator(quant(Comparator.GE, "0", actual), RULES).score == D(score)


@pytest.mark.parametrize(("actual", "score"), [("0", "5"), ("-1", "5"), ("1", "0"), ("0.01", "0")])
def test_eq_with_target_zero_is_full_only_at_or_below_zero(actual, score):
    assert score_indicator(quant(Comparator.EQ, "0", actual), RULES).score == D(score)


def test_eq_with_nonzero_target_scores_as_ge():
    assert score_indicator(quant(Comparator.EQ, "100", "80"), RULES).score == D(4)
    assert score_indicator(quant(Comparator.EQ, "100", "120"), RULES).score == D(5)


def test_missing_actual_or_target_scores_zero_with_flag():
    no_actual = score_indicator(quant(Comparator.GE, "10", None), RULES)
    no_target = score_indicator(quant(Comparator.GE, None, "10"), RULES)
    assert (no_actual.score, no_target.score) == (0, 0)
    assert "未填写实际完成值" in no_actual.flags
    assert "定量指标缺少指标值" in no_target.flags


# ---------------------------------------------------------------- reverse indicators


@pytest.mark.parametrize("comparator", [Comparator.LE, Comparator.LT])
@pytest.mark.parametrize(
    ("actual", "score"),
    [("80", "5"), ("90", "5"), ("95", "4.72"), ("135", "2.5"), ("179", "0.06"), ("180", "0"),
     ("500", "0")],
)  # fmt: skip
def test_reverse_indicator_loses_points_with_overshoot(comparator, actual, score):
    # target 90: (1 − (95 − 90)/90) × 5 = 4.72; 2 × 90 = 180 → 0
    assert score_indicator(quant(comparator, "90", actual), RULES).score == D(score)


def test_reverse_explanation_never_uses_actual_over_target():
    result = score_indicator(quant(Comparator.LE, "90", "95", unit="万元"), RULES)
    assert result.explanation == "实际95万元 > 目标≤90万元，按偏差比例 (1−(95−90)/90)×5 = 4.72"
    exact_two = score_indicator(quant(Comparator.LE, "90", "180"), RULES)
    assert exact_two.explanation == "实际180 ≥ 目标值的2倍（180），得 0 分"


@pytest.mark.parametrize(("actual", "score"), [("0", "5"), ("-1", "5"), ("1", "0")])
def test_reverse_with_target_zero(actual, score):
    assert score_indicator(quant(Comparator.LE, "0", actual), RULES).score == D(score)


# ---------------------------------------------------------------- over-completion


def test_over_completion_at_exactly_ratio_needs_reason():
    result = score_indicator(quant(Comparator.GE, "100", "130"), RULES)
    assert result.score == D(5)
    assert result.flags == ("超额完成（达到目标的130.00%），达到130.00%及以上须说明理由",)
    assert "超额完成" in result.explanation


def test_just_below_over_completion_ratio_needs_nothing():
    result = score_indicator(quant(Comparator.GE, "100", "129.99"), RULES)
    assert result.flags == ()
    assert "超额" not in result.explanation


def test_over_completion_with_reason_is_not_flagged():
    ind = quant(Comparator.GE, "100", "150", reason="上级追加任务")
    assert score_indicator(ind, RULES).flags == ()


def test_over_completion_on_reverse_indicator_is_not_over_completion():
    result = score_indicator(quant(Comparator.LE, "100", "10"), RULES)
    assert result.score == D(5)
    assert result.flags == ()


def test_over_completion_deduct_mode_from_rule_set():
    rules = with_scoring(over_completion_mode="deduct", over_completion_deduction=D("0.2"))
    result = score_indicator(quant(Comparator.GE, "100", "130"), rules)
    assert result.score == D(4)
    assert result.target_met
    assert result.explanation.endswith("超额完成（达到目标的130.00%），扣 1 分，得 4")
    assert "得分低于分值，须填写偏差原因分析及改进措施" in result.flags
    assert score_indicator(quant(Comparator.GE, "100", "129.99"), rules).score == D(5)


# ---------------------------------------------------------------- qualitative


def test_qualitative_range_from_rule_set():
    assert qualitative_range(QualitativeBand.PARTLY, D(5), RULES) == (D(3), D(4))


@pytest.mark.parametrize(
    ("band", "entered", "score", "in_band"),
    [
        (QualitativeBand.ACHIEVED, "10", "10", True),
        (QualitativeBand.ACHIEVED, "8", "8", True),
        (QualitativeBand.ACHIEVED, "7.99", "8", False),
        (QualitativeBand.PARTLY, "8", "8", True),  # shared edge fits both bands
        (QualitativeBand.PARTLY, "6", "6", True),
        (QualitativeBand.PARTLY, "8.5", "8", False),
        (QualitativeBand.MISSED, "0", "0", True),
        (QualitativeBand.MISSED, "6", "6", True),
        (QualitativeBand.MISSED, "6.01", "6", False),
    ],
)
def test_qualitative_score_must_lie_in_band(band, entered, score, in_band):
    result = score_indicator(qual(band, entered, reason="已说明"), RULES)
    assert result.score == D(score)
    out_of_band = [f for f in result.flags if "不在" in f]
    assert bool(out_of_band) is not in_band


def test_qualitative_out_of_band_message():
    result = score_indicator(qual(QualitativeBand.ACHIEVED, "7", reason="x"), RULES)
    assert result.flags == ("得分7不在“达成年度指标”档次的8–10分之间，已按8计",)


def test_qualitative_without_score_takes_band_upper_bound_and_flags():
    result = score_indicator(qual(QualitativeBand.PARTLY, None, reason="x"), RULES)
    assert result.score == D(8)
    assert result.flags == ("定性指标未填写得分，已按档次上限计",)


def test_qualitative_uses_claimed_score_when_none_entered():
    result = score_indicator(qual(QualitativeBand.ACHIEVED, None, claimed_score=D(9)), RULES)
    assert result.score == D(9)
    assert result.explanation == "定性：达成年度指标（8–10分），评定得分 9"


def test_qualitative_without_band_scores_zero():
    result = score_indicator(qual(None, "9"), RULES)
    assert result.score == 0
    assert "定性指标未选择完成档次" in result.flags


def test_qualitative_bands_follow_rule_set():
    bands = dict(RULES.scoring.qualitative)
    bands[QualitativeBand.ACHIEVED] = (D("0.9"), D(1))
    rules = with_scoring(qualitative=bands)
    result = score_indicator(qual(QualitativeBand.ACHIEVED, "8.5", reason="x"), rules)
    assert result.score == D(9)


# ---------------------------------------------------------------- per-row flags


def test_deviation_reason_required_whenever_score_below_points():
    missing = score_indicator(quant(Comparator.GE, "100", "99"), RULES)
    given = score_indicator(quant(Comparator.GE, "100", "99", reason="天气原因"), RULES)
    assert "得分低于分值，须填写偏差原因分析及改进措施" in missing.flags
    assert given.flags == ()


@pytest.mark.parametrize(
    ("target", "actual", "claimed", "flag"),
    [
        ("100", "80", "5", "未完成目标却自评满分（按规则应得4）"),
        ("100", "100", "4", "已完成目标却扣分（自评4，按规则应得5）"),
        ("100", "100", "6", "自评得分6超过分值5"),
        ("100", "80", "3", "自评得分3与按规则计算的4不一致"),
    ],
)
def test_claimed_score_against_rule_score(target, actual, claimed, flag):
    ind = quant(Comparator.GE, target, actual, claimed_score=D(claimed), reason="有说明")
    assert score_indicator(ind, RULES).flags == (flag,)


def test_claim_matching_rule_score_is_not_flagged():
    ind = quant(Comparator.GE, "1200", "1150", claimed_score=D("4.79"), reason="有说明")
    assert score_indicator(ind, RULES).flags == ()


def test_target_or_points_changed_since_approved_goal():
    approved = ApprovedTerms(Comparator.GE, D(1200), D(10))
    ind = quant(Comparator.GE, "1000", "1000", unit="人", approved=approved)
    assert score_indicator(ind, RULES).flags == (
        "指标值与批复的绩效目标不一致（批复≥1200人，自评表≥1000人）",
        "分值与批复的绩效目标不一致（批复10分，自评表5分）",
    )
    same = quant(
        Comparator.GE, "1200.00", "1200", approved=ApprovedTerms(Comparator.GE, D(1200), D(5))
    )
    assert score_indicator(same, RULES).flags == ()


# ---------------------------------------------------------------- whole evaluation


def evaluation(band: QualitativeBand, entered: str, **kw) -> EvaluationInput:
    """Execution 10/10 plus one 90-point qualitative row: total = 10 + entered."""
    row = qual(band, entered, points="90", reason="有说明")
    return EvaluationInput(budget=100 * WAN, spent=100 * WAN, indicators=(row,), **kw)


@pytest.mark.parametrize(
    ("band", "entered", "total", "grade"),
    [
        (QualitativeBand.MISSED, "49.99", "59.99", Grade.POOR),
        (QualitativeBand.MISSED, "50", "60", Grade.FAIR),
        (QualitativeBand.PARTLY, "69.99", "79.99", Grade.FAIR),
        (QualitativeBand.PARTLY, "70", "80", Grade.GOOD),
        (QualitativeBand.ACHIEVED, "79.99", "89.99", Grade.GOOD),
        (QualitativeBand.ACHIEVED, "80", "90", Grade.EXCELLENT),
    ],
)
def test_grade_band_edges_lower_bound_inclusive(band, entered, total, grade):
    result = score_evaluation(evaluation(band, entered), RULES)
    assert result.total == D(total)
    assert result.grade is grade
    assert result.total_explanation.endswith(f"等级：{grade.value}")


def test_total_adds_execution_and_indicator_scores():
    rows = (
        quant(Comparator.GE, "1200", "1150", points="50", reason="有说明"),
        quant(Comparator.LE, "90", "95", points="30", reason="有说明"),
        qual(QualitativeBand.ACHIEVED, "9"),
    )
    ev = EvaluationInput(400 * WAN, 350 * WAN, rows)
    result = score_evaluation(ev, RULES)
    # 8.75 + 1150/1200×50 (47.92) + (1 − 5/90)×30 (28.33) + 9
    assert [s.score for s in result.indicator_scores] == [D("47.92"), D("28.33"), D(9)]
    assert result.total == D("94.00")
    assert result.execution_score == D("8.75")
    assert result.flags == ()


def test_execution_cap_from_rule_set():
    rules = with_scoring(execution_caps=(ExecutionCap(below=D("0.6"), max_total=D(60)),))
    row = qual(QualitativeBand.ACHIEVED, "90", points="90")
    low = score_evaluation(EvaluationInput(100 * WAN, 50 * WAN, (row,)), rules)
    assert low.uncapped_total == D(95)
    assert low.total == D(60)
    assert low.grade is Grade.FAIR
    assert "执行率 50.00% 低于 60.00%，总分最高 60，按 60 计" in low.total_explanation
    at_edge = score_evaluation(EvaluationInput(100 * WAN, 60 * WAN, (row,)), rules)
    assert at_edge.total == D(96)  # the cap applies strictly below the rate


def test_lowest_applicable_cap_wins_and_zero_budget_is_not_capped():
    caps = (ExecutionCap(D("0.6"), D(60)), ExecutionCap(D("0.3"), D(40)))
    rules = with_scoring(execution_caps=caps)
    row = qual(QualitativeBand.ACHIEVED, "90", points="90")
    assert score_evaluation(EvaluationInput(100 * WAN, 20 * WAN, (row,)), rules).total == D(40)
    assert score_evaluation(EvaluationInput(D(0), D(0), (row,)), rules).total == D(90)


def test_province_rule_set_without_code_changes():
    """20-point execution share, a cap by execution rate and deduction for over-completion."""
    # 产出 50, 效益 20, 满意度 10: the province gives execution 20 points
    level1 = tuple(
        replace(l1, points=l1.points - 10) if l1.name == "效益指标" else l1
        for l1 in RULES.goals.level1
    )
    province = replace(
        RULES,
        goals=replace(RULES.goals, execution_points=D(20), level1=level1),
        scoring=replace(
            RULES.scoring,
            execution_caps=(ExecutionCap(D("0.8"), D(79)),),
            over_completion_mode="deduct",
            over_completion_deduction=D("0.1"),
        ),
    )
    rows = (
        quant(Comparator.GE, "100", "150", points="50", reason="追加任务"),
        qual(QualitativeBand.ACHIEVED, "30", points="30"),
    )
    full = score_evaluation(EvaluationInput(100 * WAN, 90 * WAN, rows), province)
    assert full.execution_score == D(18)
    assert full.indicator_scores[0].score == D(45)  # 50 − 10% for over-completion
    assert full.total == D(93)
    assert full.flags == ()  # 20 + 50 + 30 = 100 in this layout
    capped = score_evaluation(EvaluationInput(100 * WAN, 70 * WAN, rows), province)
    assert capped.uncapped_total == D(89)
    assert capped.total == D(79)
    assert capped.grade is Grade.FAIR


def test_claimed_total_and_parts_and_grade():
    rows = (
        quant(Comparator.GE, "100", "80", points="50", claimed_score=D(50), reason="x"),
        qual(QualitativeBand.ACHIEVED, "40", points="40", claimed_score=D(40)),
    )
    ev = EvaluationInput(
        100 * WAN,
        100 * WAN,
        rows,
        claimed_execution_score=D(10),
        claimed_total=D(95),
        claimed_grade=Grade.GOOD,
    )
    result = score_evaluation(ev, RULES)
    assert result.total == D(90)  # 10 + 40 + 40
    assert result.flags == (
        "自评总分95与各项自评得分合计100不一致",
        "自评总分95与按规则计算的总分90不一致",
        "自评等级“良”与自评总分95不符（应为“优”）",
        "自评等级“良”与按规则计算的等级“优”不一致",
    )
    assert "“培训人数”：未完成目标却自评满分（按规则应得40）" in result.all_flags()


def test_subtotal_and_stated_total_rows_against_sub_rows():
    rows = (
        quant(Comparator.GE, "10", "10", points="30", name="a", claimed_score=D(30)),
        quant(Comparator.GE, "10", "10", points="20", name="b", claimed_score=D(20)),
        qual(QualitativeBand.ACHIEVED, "30", points="30"),
    )
    ev = EvaluationInput(
        100 * WAN,
        100 * WAN,
        rows,
        claimed_subtotals=(("产出指标", D(45)), ("效益指标", D(30))),
        stated_total_points=D(100),
    )
    result = score_evaluation(ev, RULES)
    assert result.flags == (
        "执行率分值与各指标分值合计90，不等于总分100",
        "总分栏100与执行率分值及各指标分值合计90不一致",
        "“产出指标”小计45与其下各指标自评得分合计50不一致",
    )
