"""Goals (绩效目标) of projects and of departments as a whole, their statuses and a few flaws."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.numbers import plain
from app.domain.rules import GoalRules
from app.services.demo.indicators import (
    GENERAL_FIELD,
    Vocabulary,
    display_target,
    indicator_row,
    plan_indicators,
)
from app.services.demo.plan import GoalPlan, ProjectPlan, Rows, moment
from app.services.demo.vocab import DepartmentSpec
from app.storage.models import Goal, Indicator, ReturnComment

DEPARTMENT_FIELD = "部门整体"
# Current-year statuses of project goals: mostly approved, the rest still in the workflow.
CURRENT_STATUSES = (
    (GoalStatus.APPROVED, 88),
    (GoalStatus.SUBMITTED, 5),
    (GoalStatus.RETURNED, 4),
    (GoalStatus.DRAFT, 3),
)
FLAWS_PER_KIND = 4  # at scale 1.0: a handful of goals the review should catch


def plan_project_goals(
    rng: random.Random,
    rows: Rows,
    layout: GoalRules,
    vocab: Vocabulary,
    projects: list[ProjectPlan],
    current_year: int,
) -> list[GoalPlan]:
    goals = []
    for p in projects:
        fields = (p.department.field, GENERAL_FIELD)
        goal = GoalPlan(
            id=rows.new_id(Goal),
            year=p.year,
            year_id=p.year_id,
            department_id=p.department_id,
            department=p.department,
            project=p,
            budget=p.total,
        )
        goal.indicators = plan_indicators(
            rng, rows, layout, vocab, fields, p.total / 10000, about=p.name
        )
        goal.status = _status(rng, p.year == current_year)
        goals.append(goal)
    return goals


def plan_department_goals(
    rng: random.Random,
    rows: Rows,
    layout: GoalRules,
    vocab: Vocabulary,
    departments: list[DepartmentSpec],
    department_ids: dict[str, int],
    projects: list[ProjectPlan],
    year: int,
    year_id: int,
) -> list[GoalPlan]:
    """One 部门整体 goal per department; its budget is its projects plus basic spending."""
    project_money: dict[int, int] = {}
    for p in projects:
        project_money[p.department_id] = project_money.get(p.department_id, 0) + p.total
    goals = []
    for spec in departments:
        dep_id = department_ids[spec.code]
        basic = round(rng.uniform(80, 900) * spec.amount) * 10000
        goal = GoalPlan(rows.new_id(Goal), year, year_id, dep_id, spec, None, basic)
        goal.budget += project_money.get(dep_id, 0)
        fields = (DEPARTMENT_FIELD, spec.field, GENERAL_FIELD)
        goal.indicators = plan_indicators(rng, rows, layout, vocab, fields, goal.budget / 10000)
        # Approved with the budget, before the year starts: every unit is monitored as a whole.
        goal.status = GoalStatus.APPROVED.value
        goals.append(goal)
    return goals


def _status(rng: random.Random, current: bool) -> str:
    if not current:
        return GoalStatus.APPROVED.value
    statuses = [s.value for s, _ in CURRENT_STATUSES]
    return rng.choices(statuses, weights=[w for _, w in CURRENT_STATUSES])[0]


def add_flaws(rng: random.Random, goals: list[GoalPlan], layout: GoalRules, scale: float) -> int:
    """Plant the findings a reviewer looks for in a few current-year goals; returns how many.

    A cost indicator written with ≥ is only a warning; points not adding up to 100 and a
    missing unit block approval, so those goals wait in 待审核.
    """
    n = max(1, round(FLAWS_PER_KIND * scale))
    flawed: set[int] = set()

    def pick(check: Any) -> list[GoalPlan]:
        fit = [g for g in goals if g.id not in flawed and check(g)]
        chosen = rng.sample(fit, min(n, len(fit)))
        flawed.update(g.id for g in chosen)
        return chosen

    for goal in pick(lambda g: any(_is_reverse_cost(i, layout) for i in g.indicators)):
        cost = next(i for i in goal.indicators if _is_reverse_cost(i, layout))
        cost.comparator = Comparator.GE.value
    for goal in pick(lambda g: True):
        goal.indicators[0].points += 5
        goal.status = GoalStatus.SUBMITTED.value
    for goal in pick(lambda g: any(_has_unit_quantity(i, layout) for i in g.indicators)):
        indicator = next(i for i in goal.indicators if _has_unit_quantity(i, layout))
        indicator.unit = ""
        goal.status = GoalStatus.SUBMITTED.value
    return len(flawed)


def _is_reverse_cost(indicator: Any, layout: GoalRules) -> bool:
    return indicator.level2 in layout.cost_classes and indicator.comparator == Comparator.LE


def _has_unit_quantity(indicator: Any, layout: GoalRules) -> bool:
    return bool(indicator.level2 == layout.quantity_class and indicator.unit != "")


def overall_target(rng: random.Random, goal: GoalPlan, texts: dict[str, Any]) -> str:
    """年度总体目标 written from the goal's own indicators, as departments usually do."""
    amount = plain(Decimal(goal.budget) / 10000)
    if goal.project is not None:
        opening = rng.choice(texts["goal"]["opening"])
        opening = opening.format(year=goal.year, project=goal.project.name, amount=amount)
    else:
        opening = rng.choice(texts["goal"]["department"])
        opening = opening.format(year=goal.year, department=goal.department.name, amount=amount)
    quantities = [i for i in goal.indicators if i.target is not None][:3]
    tasks = "、".join(f"{i.name}{display_target(i)}" for i in quantities)
    field = DEPARTMENT_FIELD if goal.project is None else goal.department.field
    effect = texts["field_effect"].get(field, texts["field_effect"][GENERAL_FIELD])
    closing = rng.choice(texts["goal"]["closing"])
    return f"{opening}实现{tasks}等目标，{effect}，{closing}"


def write_goals(
    rng: random.Random,
    rows: Rows,
    goals: list[GoalPlan],
    texts: dict[str, Any],
    staff: dict[str, tuple[str, ...]],
) -> None:
    for goal in goals:
        goal.overall_target = overall_target(rng, goal, texts)
        if goal.status == GoalStatus.RETURNED and not goal.return_reason:
            goal.return_reason = rng.choice(texts["review"]["return_reasons"])
        rows.add(Goal, _goal_row(rng, goal, texts, staff[goal.department.section]))
        for indicator in goal.indicators:
            rows.add(Indicator, indicator_row(goal.id, indicator))
        if goal.status == GoalStatus.RETURNED:
            rows.add(
                ReturnComment,
                {
                    "id": rows.new_id(ReturnComment),
                    "goal_id": goal.id,
                    "revision": 1,
                    "indicator_id": None,
                    "text": goal.return_reason,
                },
            )


def _goal_row(
    rng: random.Random, goal: GoalPlan, texts: dict[str, Any], staff: tuple[str, ...]
) -> dict[str, Any]:
    created = moment(rng, goal.year - 1, 9)
    submitted = moment(rng, goal.year - 1, 10)
    reviewed = moment(rng, goal.year - 1, 11)
    status = goal.status
    in_review = status in (GoalStatus.APPROVED, GoalStatus.RETURNED)
    project = goal.project
    long_term = ""
    if project is not None and project.end_year > project.start_year:
        long_term = rng.choice(texts["goal"]["long_term"]).format(end=project.end_year)
    return {
        "id": goal.id,
        "scope": (Scope.PROJECT if project else Scope.DEPARTMENT).value,
        "year_id": goal.year_id,
        "department_id": goal.department_id,
        "project_id": project.id if project else None,
        "overall_target": goal.overall_target,
        "long_term_target": long_term,
        "budget_amount": None if project else goal.budget,
        "status": status,
        "revision": 1,
        "submitted_at": submitted if status != GoalStatus.DRAFT else None,
        "reviewed_at": reviewed if in_review else None,
        "reviewer": rng.choice(staff) if in_review else "",
        "return_reason": goal.return_reason,
        "deleted_at": None,
        "created_at": created,
        "updated_at": reviewed
        if in_review
        else submitted
        if status != GoalStatus.DRAFT
        else created,
    }
