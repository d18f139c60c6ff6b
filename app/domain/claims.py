"""Claimed vs computed: where a department's self-evaluation disagrees with the rules.

Each check returns Chinese flag strings for the reviewer; none changes a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from app.domain.enums import Grade
from app.domain.numbers import plain
from app.domain.rules import RuleSet

if TYPE_CHECKING:  # scoring imports this module; only the types are needed here
    from app.domain.scoring import EvaluationInput, IndicatorInput


def same_as_printed(claimed: Decimal, computed: Decimal) -> bool:
    """Whether a claim equals the computed score as the table rounds: a claim written with
    no or one decimal (19, 19.5) is compared with the score rounded half up to as many, so
    a table's rounding (19.17 printed as 19) is never taken for a disagreement."""
    if claimed == computed:
        return True
    places = max(0, -claimed.normalize().as_tuple().exponent)  # type: ignore[operator]
    if places > 1:
        return False
    step = Decimal(1).scaleb(-places)
    return claimed == computed.quantize(step, rounding=ROUND_HALF_UP)


def indicator_claim_flags(ind: IndicatorInput, score: Decimal, met: bool) -> list[str]:
    """The claimed score of one row against the rule score, and the row against its goal."""
    flags = _approval_flags(ind)
    claimed = ind.claimed_score
    if claimed is None or same_as_printed(claimed, score):
        return flags
    if claimed > ind.points:
        flags.append(f"自评得分{plain(claimed)}超过分值{plain(ind.points)}")
    elif claimed < 0:
        flags.append(f"自评得分{plain(claimed)}为负数")
    elif not met and claimed >= ind.points:
        flags.append(f"未完成目标却自评满分（按规则应得{plain(score)}）")
    elif met and claimed < score:
        flags.append(f"已完成目标却扣分（自评{plain(claimed)}，按规则应得{plain(score)}）")
    else:
        flags.append(f"自评得分{plain(claimed)}与按规则计算的{plain(score)}不一致")
    return flags


def _approval_flags(ind: IndicatorInput) -> list[str]:
    approved = ind.approved
    if approved is None:
        return []
    flags = []
    if approved.comparator != ind.comparator or approved.target != ind.target:
        before = _term(approved.comparator.value, approved.target, ind.unit)
        after = _term(ind.comparator.value, ind.target, ind.unit)
        flags.append(f"指标值与批复的绩效目标不一致（批复{before}，自评表{after}）")
    if approved.points != ind.points:
        flags.append(
            f"分值与批复的绩效目标不一致（批复{plain(approved.points)}分，"
            f"自评表{plain(ind.points)}分）"
        )
    return flags


def _term(comparator: str, target: Decimal | None, unit: str) -> str:
    return f"{comparator}{plain(target)}{unit}" if target is not None else comparator


def evaluation_claim_flags(
    evaluation: EvaluationInput, total: Decimal, grade: Grade, rules: RuleSet
) -> list[str]:
    """Footer and subtotal rows against their parts and against the computed result."""
    flags = _points_flags(evaluation, rules)
    flags += _subtotal_flags(evaluation)
    claimed = evaluation.claimed_total
    if claimed is not None:
        parts = _claimed_parts(evaluation)
        if parts is not None and parts != claimed:
            flags.append(f"自评总分{plain(claimed)}与各项自评得分合计{plain(parts)}不一致")
        if not same_as_printed(claimed, total):
            flags.append(f"自评总分{plain(claimed)}与按规则计算的总分{plain(total)}不一致")
    flags += _grade_flags(evaluation, grade, rules)
    return flags


def _points_flags(evaluation: EvaluationInput, rules: RuleSet) -> list[str]:
    points = rules.goals.execution_points + sum(
        (i.points for i in evaluation.indicators), Decimal(0)
    )
    flags = []
    if points != rules.goals.total_points:
        flags.append(
            f"执行率分值与各指标分值合计{plain(points)}，不等于总分{plain(rules.goals.total_points)}"
        )
    stated = evaluation.stated_total_points
    if stated is not None and stated != points:
        flags.append(f"总分栏{plain(stated)}与执行率分值及各指标分值合计{plain(points)}不一致")
    return flags


def _subtotal_flags(evaluation: EvaluationInput) -> list[str]:
    flags = []
    for level1, claimed in evaluation.claimed_subtotals:
        rows = [i.claimed_score for i in evaluation.indicators if i.level1 == level1]
        parts = _sum_all(rows)
        if parts is None:
            continue  # some row has no claimed score: nothing sound to compare
        if parts != claimed:
            flags.append(
                f"“{level1}”小计{plain(claimed)}与其下各指标自评得分合计{plain(parts)}不一致"
            )
    return flags


def _claimed_parts(evaluation: EvaluationInput) -> Decimal | None:
    rows = [evaluation.claimed_execution_score, *(i.claimed_score for i in evaluation.indicators)]
    return _sum_all(rows)


def _sum_all(values: Sequence[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _grade_flags(evaluation: EvaluationInput, grade: Grade, rules: RuleSet) -> list[str]:
    claimed_grade = evaluation.claimed_grade
    if claimed_grade is None:
        return []
    flags = []
    if evaluation.claimed_total is not None:
        implied = rules.grade_for(evaluation.claimed_total)
        if implied != claimed_grade:
            flags.append(
                f"自评等级“{claimed_grade.value}”与自评总分{plain(evaluation.claimed_total)}"
                f"不符（应为“{implied.value}”）"
            )
    if claimed_grade != grade:
        flags.append(f"自评等级“{claimed_grade.value}”与按规则计算的等级“{grade.value}”不一致")
    return flags
