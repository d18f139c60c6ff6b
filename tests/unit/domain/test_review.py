"""The reviewer's re-score and the 自评不实 finding (docs/domain.md §7)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.enums import Comparator, Grade, QualitativeBand
from app.domain.review import (
    DeductionReason,
    IndicatorReview,
    inflation_finding,
    rescore_indicator,
    review_evaluation,
)
from app.domain.rules import load_rule_set
from app.domain.scoring import EvaluationInput, IndicatorInput
from app.paths import default_rules_path

RULES = load_rule_set(default_rules_path())
WAN = D(10000)

COUNT = IndicatorInput(
    "产出指标", "数量指标", "培训人数", Comparator.GE, D(1200), "人", D(50),
    actual=D(1200), claimed_score=D(50),
)  # fmt: skip
SURVEY = IndicatorInput(
    "满意度指标", "服务对象满意度指标", "群众满意度", Comparator.QUALITATIVE, None, "", D(40),
    band=QualitativeBand.ACHIEVED, claimed_score=D(40),
)  # fmt: skip


def test_rescore_applies_the_rules_to_the_reviewed_actual():
    result = rescore_indicator(COUNT, IndicatorReview(reviewed_actual=D(900)), RULES)
    assert result.score == D("37.5")  # 900/1200 × 50
    assert result.explanation == "实际900人 < 目标≥1200人，按完成比例 900/1200×50 = 37.5"
    assert result.claimed_score == D(50)


def test_rescore_without_changes_keeps_the_self_values():
    assert rescore_indicator(COUNT, IndicatorReview(), RULES).score == D(50)
    assert rescore_indicator(SURVEY, IndicatorReview(), RULES).score == D(40)


def test_changed_band_without_score_uses_the_new_band():
    review = IndicatorReview(reviewed_band=QualitativeBand.PARTLY)
    assert rescore_indicator(SURVEY, review, RULES).score == D(32)  # 80% of 40
    scored = IndicatorReview(reviewed_band=QualitativeBand.PARTLY, reviewed_entered_score=D(25))
    assert rescore_indicator(SURVEY, scored, RULES).score == D(25)


@pytest.mark.parametrize("reason", [r for r in DeductionReason if r.scores_zero])
def test_standard_deductions_score_zero(reason):
    result = rescore_indicator(COUNT, IndicatorReview(deduction=reason), RULES)
    assert result.score == 0
    assert result.explanation == f"复核扣分：{reason.value}，得 0 分（按规则50）"


def test_other_deduction_takes_the_entered_score_never_above_the_rule_score():
    review = IndicatorReview(
        deduction=DeductionReason.OTHER, deducted_score=D(30), note="佐证材料不完整"
    )
    result = rescore_indicator(COUNT, review, RULES)
    assert result.score == D(30)
    assert result.explanation == "复核扣分：佐证材料不完整，得 30（按规则50）"
    higher = replace(review, reviewed_actual=D(600), deducted_score=D(45))
    assert rescore_indicator(COUNT, higher, RULES).score == D(25)


def test_other_deduction_needs_note_and_score():
    result = rescore_indicator(COUNT, IndicatorReview(deduction=DeductionReason.OTHER), RULES)
    assert result.score == D(50)
    assert result.flags == ("复核扣分未写明理由", "复核扣分未填写复核得分，仍按规则计分")


@pytest.mark.parametrize(
    ("self_total", "review_total", "inflated"),
    [("95", "85", True), ("94.99", "85", False), ("85", "95", True)],
)
def test_inflated_by_points(self_total, review_total, inflated):
    rules = replace(RULES, sampling=replace(RULES.sampling, inflated_on_grade_change=False))
    finding = inflation_finding(D(self_total), Grade.GOOD, D(review_total), Grade.GOOD, rules)
    assert bool(finding) is inflated


def test_inflated_by_grade_change_follows_the_rule_set():
    finding = inflation_finding(D(90), Grade.EXCELLENT, D(89), Grade.GOOD, RULES)
    assert finding == "自评不实：自评90分（优），复核89分（良），相差1分"
    off = replace(RULES, sampling=replace(RULES.sampling, inflated_on_grade_change=False))
    assert inflation_finding(D(90), Grade.EXCELLENT, D(89), Grade.GOOD, off) == ""


def test_review_evaluation_end_to_end():
    ev = EvaluationInput(
        100 * WAN, 100 * WAN, (COUNT, SURVEY), claimed_total=D(100), claimed_grade=Grade.EXCELLENT
    )
    reviews = (
        IndicatorReview(reviewed_actual=D(960)),  # 960/1200 × 50 = 40
        IndicatorReview(deduction=DeductionReason.NO_SURVEY),
    )
    result = review_evaluation(ev, reviews, RULES, reviewed_spent=90 * WAN)
    assert result.review.execution_score == D(9)
    assert [s.score for s in result.review.indicator_scores] == [D(40), D(0)]
    assert result.review.total == D(49)
    assert result.review.grade is Grade.POOR
    assert (result.self_total, result.self_grade) == (D(100), Grade.EXCELLENT)
    assert result.deviation == D(-51)
    assert result.inflated
    assert result.finding == "自评不实：自评100分（优），复核49分（差），相差51分"


def test_review_evaluation_needs_one_review_per_indicator():
    ev = EvaluationInput(D(1), D(1), (COUNT, SURVEY))
    with pytest.raises(ValueError, match="line up"):
        review_evaluation(ev, (IndicatorReview(),), RULES)
