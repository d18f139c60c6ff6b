"""部门整体 monitoring in the demo: every department's whole spending in every round.

The project part is what the department's monitored projects report (their budgets and
spending summed, so the two views agree); basic spending (salaries, running costs) is
paid almost evenly through the year. The goal's indicators progress as a project's do,
and every red or yellow lamp carries its 偏差原因, as closing the round demands.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from app.domain.department_spending import DepartmentSpending
from app.domain.enums import Lamp, MonitoringConclusion
from app.domain.lamps import budget_lamp, execution_rate
from app.domain.rules import MonitoringRules
from app.services.demo.monitoring import Path, indicator_row
from app.services.demo.outcomes import decide_outcomes
from app.services.demo.plan import GoalPlan, Rows
from app.storage.models import DepartmentMonitoringEntry, DepartmentMonitoringIndicator


def add_department_rounds(
    rng: random.Random,
    rows: Rows,
    department_goals: list[GoalPlan],
    project_goals: list[GoalPlan],
    paths: dict[int, Path],
    round_ids: dict[int, int],
    rules: MonitoringRules,
    texts: dict[str, Any],
    within_target: tuple[str, ...],
) -> None:
    """Add each approved department-wide goal to every round (outcomes decided here, once)."""
    months = tuple(round_ids)
    for goal in department_goals:
        decide_outcomes(rng, goal)
        projects = [paths[g.id] for g in project_goals if g.department_id == goal.department_id]
        path = _department_path(rng, goal, projects, months, texts)
        for month in months:
            entry_id = rows.new_id(DepartmentMonitoringEntry)
            rows.add(
                DepartmentMonitoringEntry,
                _entry_row(entry_id, round_ids[month], goal, path, projects, month, rules),
            )
            for ind in goal.indicators:
                row = indicator_row(
                    rows,
                    entry_id,
                    ind,
                    path,
                    month,
                    rules,
                    within_target,
                    DepartmentMonitoringIndicator,
                )
                rows.add(DepartmentMonitoringIndicator, row)


def _department_path(
    rng: random.Random,
    goal: GoalPlan,
    projects: list[Path],
    months: tuple[int, ...],
    texts: dict[str, Any],
) -> Path:
    """The basic part's money (the goal's budget less its projects' amounts)."""
    basic = max(goal.budget - sum(p.initial for p in projects), 0)
    rate = rng.uniform(0.9, 0.99)  # salaries and running costs: paid as the year goes
    spent = {m: round(basic * rate * m / 12 / 100) * 100 for m in months}
    path = Path(basic, dict.fromkeys(months, basic), spent, 1.0, rng.choice(texts["deviation"]))
    last = months[-1]
    goal.final_budget = basic + sum(p.budgets[last] for p in projects)
    goal.final_spent = spent[last] + sum(p.spent[last] for p in projects)
    return path


def _entry_row(
    entry_id: int,
    round_id: int,
    goal: GoalPlan,
    basic: Path,
    projects: list[Path],
    month: int,
    rules: MonitoringRules,
) -> dict[str, Any]:
    spending = DepartmentSpending(
        Decimal(basic.budgets[month]),
        Decimal(basic.spent[month]),
        Decimal(sum(p.budgets[month] for p in projects)),
        Decimal(sum(p.spent[month] for p in projects)),
    )
    lamp = budget_lamp(execution_rate(spending.budget, spending.spent), month, rules).lamp
    explain = lamp in (Lamp.RED, Lamp.YELLOW)
    conclusion = (
        MonitoringConclusion.RECTIFY if lamp is Lamp.RED else MonitoringConclusion.NO_PROBLEM
    )
    return {
        "id": entry_id,
        "round_id": round_id,
        "goal_id": goal.id,
        "basic_initial": basic.initial,
        "basic_adjusted": spending.basic_budget,
        "basic_spent": spending.basic_spent,
        "project_initial": sum(p.initial for p in projects),
        "project_adjusted": spending.project_budget,
        "project_spent": spending.project_spent,
        "conclusion": conclusion.value,
        "conclusion_note": "",
        "budget_deviation_category": basic.deviation["category"] if explain else "",
        "budget_deviation_reason": basic.deviation["reason"] if explain else "",
        "budget_corrective_action": basic.deviation["action"] if explain else "",
    }
