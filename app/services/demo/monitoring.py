"""Monitoring (双监控) rounds: cumulative spending and indicator progress of approved projects.

Every round is closed, so every red or yellow lamp carries its 偏差原因 as closing would
demand: the budget lamp's on the entry (lit by the domain's own rule, so a gap rule set
is followed too), an indicator's on its row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator, Lamp, Likelihood, MonitoringConclusion
from app.domain.lamps import budget_lamp, execution_rate
from app.domain.rules import MonitoringRules
from app.services.demo.outcomes import final_execution, like_target
from app.services.demo.plan import GoalPlan, IndicatorPlan, Rows
from app.storage.models import Base, MonitoringEntry, MonitoringIndicator, MonitoringRound

# How spending bends over the year: (m/12)^k; k > 1 is back-loaded (lagging), < 1 early.
SHAPES = {"优": (0.75, 1.3), "良": (0.8, 1.5), "中": (1.2, 2.2), "差": (1.8, 3.2)}
QUALITATIVE_PROGRESS = {"达成年度指标": "达成", "部分达成年度指标并具有一定效果": "部分达成"}


@dataclass
class Path:
    """One project's money through the year."""

    initial: int
    budgets: dict[int, int]  # month → adjusted budget (A)
    spent: dict[int, int]  # month → cumulative 执行数 (B)
    shape: float
    deviation: dict[str, str]


def add_rounds(
    rng: random.Random,
    rows: Rows,
    goals: list[GoalPlan],
    rules: MonitoringRules,
    year: int,
    year_id: int,
    texts: dict[str, Any],
    within_target: tuple[str, ...],
) -> tuple[dict[int, int], dict[int, Path]]:
    """The year's closed rounds with every approved project; returns the round ids by month
    and each project goal's money path by goal id (for the department-wide entries)."""
    round_ids, paths = {}, {}
    for month in rules.months:
        round_ids[month] = rows.new_id(MonitoringRound)
        opened = datetime(year + month // 12, month % 12 + 1, 3, 9)
        rows.add(
            MonitoringRound,
            {
                "id": round_ids[month],
                "year_id": year_id,
                "month": month,
                "status": "closed",
                "opened_at": opened,
                "closed_at": opened + timedelta(days=17),
            },
        )
    for goal in goals:
        path = paths[goal.id] = _money_path(rng, goal, rules.months, texts)
        for month in rules.months:
            entry_id = rows.new_id(MonitoringEntry)
            rows.add(
                MonitoringEntry,
                _entry_row(rng, entry_id, round_ids[month], goal, path, month, rules, texts),
            )
            for ind in goal.indicators:
                rows.add(
                    MonitoringIndicator,
                    indicator_row(rows, entry_id, ind, path, month, rules, within_target),
                )
    return round_ids, paths


def _money_path(
    rng: random.Random, goal: GoalPlan, months: tuple[int, ...], texts: dict[str, Any]
) -> Path:
    initial = goal.budget
    final_rate = final_execution(rng, goal.tier)
    shape = rng.uniform(*SHAPES[goal.tier])
    budget, change_month = initial, rng.choice(months[1:] or months)
    roll = rng.random()
    if roll < 0.08:  # budget adjusted during the year (追加 or 调减)
        budget = round(initial * rng.uniform(0.8, 1.2) / 100) * 100
    elif roll < 0.12 and goal.tier in ("中", "差"):  # cut after lagging badly
        budget = round(initial * rng.uniform(0.5, 0.8) / 100) * 100
    budgets, spent, last = {}, {}, 0
    for month in months:
        # A cut never goes below what is already spent: paid money cannot be taken back.
        a = max(budget, last) if month >= change_month else initial
        share = final_rate * (month / 12) ** shape
        last = min(a, max(last, round(a * share / 100) * 100))
        budgets[month], spent[month] = a, last
    goal.final_budget, goal.final_spent = budgets[months[-1]], spent[months[-1]]
    return Path(initial, budgets, spent, shape, rng.choice(texts["deviation"]))


def _budget_ratio(path: Path, month: int) -> float:
    a = path.budgets[month]
    return (path.spent[month] / a) / (month / 12) if a else 1.0


def _entry_row(
    rng: random.Random,
    entry_id: int,
    round_id: int,
    goal: GoalPlan,
    path: Path,
    month: int,
    rules: MonitoringRules,
    texts: dict[str, Any],
) -> dict[str, Any]:
    conclusion, note = MonitoringConclusion.NO_PROBLEM, ""
    if _budget_ratio(path, month) < float(rules.budget_ratio_red):
        roll = rng.random()
        notes = texts["monitoring"]["conclusion_notes"]
        if month >= 9 and roll < 0.2:
            conclusion, note = MonitoringConclusion.ADJUST_BUDGET, notes[1]
        elif month >= 6 and roll > 0.94:
            conclusion, note = MonitoringConclusion.SUSPEND_FUNDING, notes[2]
        else:
            conclusion, note = MonitoringConclusion.RECTIFY, notes[0]
    assert goal.project is not None
    rate = execution_rate(Decimal(path.budgets[month]), Decimal(path.spent[month]))
    explain = budget_lamp(rate, month, rules).lamp in (Lamp.RED, Lamp.YELLOW)
    return {
        "id": entry_id,
        "round_id": round_id,
        "project_id": goal.project.id,
        "initial_budget": path.initial,
        "adjusted_budget": path.budgets[month],
        "spent": path.spent[month],
        "conclusion": conclusion.value,
        "conclusion_note": note,
        "budget_deviation_category": path.deviation["category"] if explain else "",
        "budget_deviation_reason": path.deviation["reason"] if explain else "",
        "budget_corrective_action": path.deviation["action"] if explain else "",
    }


def indicator_row(
    rows: Rows,
    entry_id: int,
    ind: IndicatorPlan,
    path: Path,
    month: int,
    rules: MonitoringRules,
    within_target: tuple[str, ...],
    model: type[Base] = MonitoringIndicator,
) -> dict[str, Any]:
    """One indicator's figures in a round (of a project, or of `model`'s entries)."""
    current, text, lagging = _current(ind, path, month, rules, within_target)
    likelihood = _likelihood(ind.ratio, month)
    explain = lagging or likelihood != Likelihood.CERTAIN
    expected = ind.actual
    if ind.target is not None and likelihood == Likelihood.CERTAIN and month < 12:
        expected = ind.target
    return {
        "id": rows.new_id(model),
        "entry_id": entry_id,
        "indicator_id": ind.id,
        "current_value": current,
        "current_text": text,
        "likelihood": likelihood.value,
        "expected_value": expected,
        "deviation_category": path.deviation["category"] if explain else "",
        "deviation_reason": path.deviation["reason"] if explain else "",
        "corrective_action": path.deviation["action"] if explain else "",
    }


def _current(
    ind: IndicatorPlan,
    path: Path,
    month: int,
    rules: MonitoringRules,
    within_target: tuple[str, ...],
) -> tuple[Decimal | None, str, bool]:
    """当前完成值: count-like indicators grow through the year, rates hold their level."""
    if ind.target is None or ind.actual is None:
        return None, QUALITATIVE_PROGRESS.get(ind.band, "未达成"), ind.ratio < 0.6
    count_like = (
        ind.comparator in (Comparator.GE, Comparator.GT, Comparator.EQ)
        and ind.unit not in rules.non_cumulative_units
        and ind.level2 not in within_target
        and ind.target > 0
    )
    if not count_like:
        return ind.actual, "", ind.ratio < 1.0
    # Outputs follow spending, but less steeply: work is often done before it is paid.
    shape = 1 + (path.shape - 1) / 2
    progress = Decimal(str(round((month / 12) ** shape, 4)))
    current = like_target(ind.target, ind.actual * progress, ind.unit)
    if current == 0 and month < 12:
        # Not one whole 座/个/公里 yet: departments leave it blank (no lamp), not 0 (red).
        return None, "", False
    due = ind.target * Decimal(month) / 12
    return current, "", current < due * rules.indicator_yellow


def _likelihood(ratio: float, month: int) -> Likelihood:
    if ratio >= 1.0:
        return Likelihood.CERTAIN
    if ratio >= 0.8 or month < 9:
        return Likelihood.POSSIBLE
    return Likelihood.IMPOSSIBLE
