"""Self-evaluations (绩效自评) as departments send them, with their own claimed scores.

The claims follow a simple private reading of the scoring rules (the official scoring
module lives elsewhere); about one evaluation in ten is inflated: full marks claimed on
targets that were missed, which is what the spot check should find.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, QualitativeBand, Scope
from app.domain.money import round2
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.demo.indicators import display_target
from app.services.demo.plan import GoalPlan, IndicatorPlan, Rows, moment
from app.storage.models import SelfEvaluation, SelfEvaluationIndicator
from app.storage.models.workflow import stated_parse

INFLATE_CHANCE = 0.2  # of evaluations with a missed target: ≈10% of all evaluations
ACHIEVED_TEXT = {
    QualitativeBand.ACHIEVED.value: "已达成年度目标",
    QualitativeBand.PARTLY.value: "部分达成，取得一定成效",
    QualitativeBand.MISSED.value: "未达成年度目标",
}


def add_evaluations(
    rng: random.Random, rows: Rows, goals: list[GoalPlan], rules: RuleSet, texts: dict[str, Any]
) -> None:
    for goal in goals:
        missed = [i for i in goal.indicators if i.ratio < 1.0]
        inflated = bool(missed) and rng.random() < INFLATE_CHANCE
        eval_id = rows.new_id(SelfEvaluation)
        claimed = Decimal(0)
        for ind in goal.indicators:
            row = _indicator_row(rng, rows, eval_id, ind, rules, texts, inflated)
            claimed += row["claimed_score"]
            rows.add(SelfEvaluationIndicator, row)
        rows.add(SelfEvaluation, _evaluation_row(rng, eval_id, goal, claimed, rules, texts, missed))


def _evaluation_row(
    rng: random.Random,
    eval_id: int,
    goal: GoalPlan,
    claimed: Decimal,
    rules: RuleSet,
    texts: dict[str, Any],
    missed: list[IndicatorPlan],
) -> dict[str, Any]:
    a, b = goal.final_budget, goal.final_spent
    execution = round2(min(Decimal(b) / Decimal(a), Decimal(1)) * rules.goals.execution_points)
    total = round2(execution + claimed)
    other = goal.project.other if goal.project else 0
    carry = round(a * rng.uniform(0.05, 0.2) / 100) * 100 if rng.random() < 0.12 else 0
    other = min(other, a - carry)
    share = Decimal(b) / Decimal(a) if a else Decimal(0)
    spent_carry, spent_other = int(carry * share), int(other * share)
    sent = moment(rng, goal.year + 1, 3)
    return {
        "id": eval_id,
        "scope": (Scope.PROJECT if goal.project else Scope.DEPARTMENT).value,
        "year_id": goal.year_id,
        "department_id": goal.department_id,
        "project_id": goal.project.id if goal.project else None,
        "initial_budget": goal.budget,
        "annual_budget": a,
        "spent": b,
        "budget_fiscal": a - carry - other,
        "budget_carryover": carry,
        "budget_other": other,
        "spent_fiscal": b - spent_carry - spent_other,
        "spent_carryover": spent_carry,
        "spent_other": spent_other,
        "expected_outcome": goal.overall_target,
        "actual_outcome": _outcome_text(goal, texts, missed),
        "claimed_execution_score": execution,
        "claimed_total": total,
        "claimed_grade": rules.grade_for(total).value,
        "created_at": sent,
        "updated_at": sent,
    }


def _outcome_text(goal: GoalPlan, texts: dict[str, Any], missed: list[IndicatorPlan]) -> str:
    first = next((i for i in goal.indicators if i.actual is not None), None)
    done = (
        f"完成{first.name}{plain(first.actual)}{first.unit}"
        if first and first.actual is not None
        else "各项任务有序推进"
    )
    share = len(missed) / max(1, len(goal.indicators))
    key = "good" if not missed else "partial" if share < 0.3 else "poor"
    return str(texts["outcome"][key].format(first=done))


def _indicator_row(
    rng: random.Random,
    rows: Rows,
    eval_id: int,
    ind: IndicatorPlan,
    rules: RuleSet,
    texts: dict[str, Any],
    inflated: bool,
) -> dict[str, Any]:
    points = Decimal(ind.points)
    score = _claimed_score(rng, ind, points, rules)
    reason = ""
    if score < points:
        if inflated:
            score = points  # the claim the spot check should catch: no reason given either
        else:
            reason = rng.choice(texts["outcome"]["missed_reason"])
    elif ind.ratio >= float(rules.scoring.over_completion_ratio):
        reason = texts["outcome"]["over_reason"]
    target = display_target(ind)
    return {
        "id": rows.new_id(SelfEvaluationIndicator),
        "evaluation_id": eval_id,
        "indicator_id": ind.id,
        "position": ind.position,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        **stated_parse(target),
        "stated_target": target,
        "stated_points": points,
        "actual_value": ind.actual,
        "actual_text": ACHIEVED_TEXT.get(ind.band, ""),
        "qualitative_band": ind.band,
        "claimed_score": score,
        "reason": reason,
    }


def _claimed_score(
    rng: random.Random, ind: IndicatorPlan, points: Decimal, rules: RuleSet
) -> Decimal:
    """A department's own reading of the scoring rules (docs/domain.md §6), rounded half up."""
    if ind.target is None:
        low, high = rules.scoring.qualitative[QualitativeBand(ind.band)]
        share = Decimal(str(round(rng.uniform(float(low + high) / 2, float(high)), 2)))
        return round2(points * share)
    actual, target = ind.actual or Decimal(0), ind.target
    if ind.comparator in (Comparator.LE, Comparator.LT):
        if actual <= target:
            return points
        if target <= 0 or actual >= 2 * target:
            return Decimal(0)
        return round2((1 - (actual - target) / target) * points)
    if target == 0:
        return points if actual <= 0 else Decimal(0)
    if actual >= target:
        return points
    return round2(max(actual, Decimal(0)) / target * points)
