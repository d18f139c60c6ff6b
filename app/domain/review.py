"""The reviewer's re-score in a spot check (复核, docs/domain.md §7) and the 自评不实 finding.

The re-score applies the same scoring rules to the reviewer's values (复核完成值, a changed
qualitative band or score), then the reviewer's deduction for the indicator. Standard
deductions set the indicator to 0; ``OTHER`` takes the reviewer's score, never above the
rule score (a deduction does not raise a score) and needs a written note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from app.domain.enums import Grade, QualitativeBand
from app.domain.money import round2
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.domain.scoring import (
    EvaluationInput,
    EvaluationResult,
    IndicatorInput,
    IndicatorScore,
    rule_score,
    score_evaluation,
    score_execution,
    total_and_grade,
)


class DeductionReason(StrEnum):
    NO_EVIDENCE = "无佐证材料"
    UNRELATED = "指标与项目无关"
    NO_SURVEY = "满意度无调查"
    DUPLICATE = "重复指标"
    OTHER = "其他"

    @property
    def scores_zero(self) -> bool:
        return self is not DeductionReason.OTHER


@dataclass(frozen=True)
class IndicatorReview:
    """The reviewer's entries for one row; None keeps the self-evaluation's value."""

    reviewed_actual: Decimal | None = None  # 复核完成值
    reviewed_band: QualitativeBand | None = None
    reviewed_entered_score: Decimal | None = None  # qualitative score within the band
    deduction: DeductionReason | None = None
    deducted_score: Decimal | None = None  # the score after an OTHER deduction
    note: str = ""  # 备注 / reason for the deduction


@dataclass(frozen=True)
class ReviewResult:
    review: EvaluationResult
    self_total: Decimal  # claimed total, else the rule total of the self-evaluation
    self_grade: Grade
    deviation: Decimal  # review total − self total (偏离)
    inflated: bool  # 自评不实
    finding: str  # Chinese one-liner, empty when not inflated


def rescore_indicator(
    ind: IndicatorInput, review: IndicatorReview, rules: RuleSet
) -> IndicatorScore:
    """The reviewer's score of one row: the rules on the reviewed values, then any deduction."""
    redone = replace(
        ind,
        actual=review.reviewed_actual if review.reviewed_actual is not None else ind.actual,
        band=review.reviewed_band or ind.band,
        entered_score=_reviewed_entry(ind, review),
        claimed_score=None,
    )
    scored = rule_score(redone, rules)
    scored = replace(scored, claimed_score=ind.claimed_score)
    if review.deduction is None:
        return scored
    return _apply_deduction(scored, review)


def _reviewed_entry(ind: IndicatorInput, review: IndicatorReview) -> Decimal | None:
    if review.reviewed_entered_score is not None:
        return review.reviewed_entered_score
    if review.reviewed_band is not None and review.reviewed_band != ind.band:
        return None  # a new band: the department's score no longer applies
    return ind.entered_score if ind.entered_score is not None else ind.claimed_score


def _apply_deduction(scored: IndicatorScore, review: IndicatorReview) -> IndicatorScore:
    reason = review.deduction
    assert reason is not None
    rule = plain(scored.score)
    if reason.scores_zero:
        text = f"复核扣分：{reason.value}，得 0 分（按规则{rule}）"
        return replace(scored, score=Decimal(0), explain=lambda: text)
    flags = list(scored.flags)
    if not review.note.strip():
        flags.append("复核扣分未写明理由")
    if review.deducted_score is None:
        flags.append("复核扣分未填写复核得分，仍按规则计分")
        return replace(scored, flags=tuple(flags))
    score = round2(min(max(review.deducted_score, Decimal(0)), scored.score))
    text = f"复核扣分：{review.note.strip() or reason.value}，得 {plain(score)}（按规则{rule}）"
    return replace(scored, score=score, explain=lambda: text, flags=tuple(flags))


def inflation_finding(
    self_total: Decimal,
    self_grade: Grade,
    review_total: Decimal,
    review_grade: Grade,
    rules: RuleSet,
) -> str:
    """'自评不实…' when the scores differ by the rule's points or the grade changed, else ''."""
    gap = abs(self_total - review_total)
    by_points = gap >= rules.sampling.inflated_points
    by_grade = rules.sampling.inflated_on_grade_change and self_grade != review_grade
    if not (by_points or by_grade):
        return ""
    return (
        f"自评不实：自评{plain(self_total)}分（{self_grade.value}），"
        f"复核{plain(review_total)}分（{review_grade.value}），相差{plain(gap)}分"
    )


def review_evaluation(
    evaluation: EvaluationInput,
    reviews: Sequence[IndicatorReview],
    rules: RuleSet,
    *,
    reviewed_spent: Decimal | None = None,
) -> ReviewResult:
    """Re-score a drawn self-evaluation; ``reviews`` lines up with ``evaluation.indicators``."""
    if len(reviews) != len(evaluation.indicators):
        raise ValueError("reviews must line up with the evaluation's indicators")
    own = score_evaluation(evaluation, rules)
    spent = reviewed_spent if reviewed_spent is not None else evaluation.spent
    execution = score_execution(evaluation.budget, spent, rules)
    scores = tuple(
        rescore_indicator(ind, rev, rules)
        for ind, rev in zip(evaluation.indicators, reviews, strict=True)
    )
    total = total_and_grade(execution, scores, rules)
    review = EvaluationResult(
        execution=execution,
        indicator_scores=scores,
        total=total.total,
        uncapped_total=total.uncapped,
        grade=total.grade,
        total_explanation=total.explanation,
    )
    self_total = own.claimed_total if own.claimed_total is not None else own.total
    self_grade = own.claimed_grade or rules.grade_for(self_total)
    finding = inflation_finding(self_total, self_grade, total.total, total.grade, rules)
    return ReviewResult(
        review, self_total, self_grade, total.total - self_total, bool(finding), finding
    )
