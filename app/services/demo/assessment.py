"""Ex-ante assessments (事前绩效评估) of the projects that trigger one under the rule set."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from app.domain.enums import AssessmentConclusion, GoalStatus, ProjectKind
from app.domain.rules import PreAssessmentRules
from app.services.demo.plan import GoalPlan, Rows, moment
from app.services.demo.projects import EXEMPT_WORDS
from app.storage.models import PreAssessment

REJECT_REASON = "事前绩效评估结论为不予支持，项目暂不纳入年度预算，请结合评估意见重新论证。"


def triggers(goal: GoalPlan, rules: PreAssessmentRules) -> bool:
    p = goal.project
    if p is None or any(word in p.name for word in EXEMPT_WORDS):
        return False
    if p.kind == ProjectKind.NEW:
        return p.total >= rules.new_threshold_yuan
    if p.previous_total is None:
        return False
    growth = p.total - p.previous_total
    return growth >= rules.growth_amount_yuan or (
        growth >= p.previous_total * rules.growth_ratio and growth >= 500_000
    )


def plan_assessments(
    rng: random.Random,
    rows: Rows,
    goals: list[GoalPlan],
    rules: PreAssessmentRules,
    texts: dict[str, Any],
    current_year: int,
) -> None:
    """Assess every triggering project; a rejected current-year project has its goal returned."""
    for goal in goals:
        if not triggers(goal, rules):
            continue
        current = goal.year == current_year
        roll = rng.random()
        if roll < 0.06 and current:
            conclusion = AssessmentConclusion.REJECT
        elif roll < 0.4:
            conclusion = AssessmentConclusion.PARTIAL
        else:
            conclusion = AssessmentConclusion.SUPPORT
        if conclusion == AssessmentConclusion.REJECT:
            goal.status = GoalStatus.RETURNED.value
            goal.return_reason = REJECT_REASON
        rows.add(PreAssessment, _row(rng, rows, goal, conclusion, texts))


def _row(
    rng: random.Random,
    rows: Rows,
    goal: GoalPlan,
    conclusion: AssessmentConclusion,
    texts: dict[str, Any],
) -> dict[str, Any]:
    assert goal.project is not None
    amount = goal.project.total
    ratings = texts["assessment"]["ratings"]
    good = ratings[:2]
    notes = texts["assessment"]["notes"]
    if conclusion == AssessmentConclusion.SUPPORT:
        requested, approved, note = amount, amount, notes[0]
        dims = [rng.choice(good) for _ in range(5)]
    elif conclusion == AssessmentConclusion.PARTIAL:
        # The budget carries the approved amount; the department asked for more.
        requested = round(amount / rng.uniform(0.6, 0.92) / 1000) * 1000
        approved, note = amount, rng.choice(notes[1:3])
        dims = [rng.choice(good), ratings[2], rng.choice(good), rng.choice(good), good[0]]
    else:
        requested, approved, note = amount, 0, notes[3]
        dims = [ratings[2], ratings[3], ratings[2], ratings[3], good[1]]
    when = moment(rng, goal.year - 1, 8)
    return {
        "id": rows.new_id(PreAssessment),
        "project_id": goal.project.id,
        "necessity": dims[0],
        "economy": dims[1],
        "goal_reasonableness": dims[2],
        "feasibility": dims[3],
        "compliance": dims[4],
        "conclusion": conclusion.value,
        "requested_amount": requested,
        "approved_amount": approved,
        "assessed_on": date(when.year, when.month, when.day),
        "assessor": "县财政局预算绩效管理专家组",
        "notes": note,
        "created_at": when,
        "updated_at": when,
    }
