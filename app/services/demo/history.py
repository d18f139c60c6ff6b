"""Continuing projects' targets against last year's results, so the history checks are real.

Last year's names are sometimes spelled differently (★, units in brackets), as real
files are. Most continuing projects raise an indicator they used last year above what it reached; a
few (`UNMOVED_PER_SCALE` at full scale) keep last year's targets although the actuals rose
past them: the "target at or below last year's actual" findings of `goals check`. Only
target values change here, never a comparator or unit, so the main generator's later
draws (outcomes, monitoring) stay the same; choices use their own generator.
"""

from __future__ import annotations

import random
from decimal import Decimal

from app.domain.enums import Comparator, GoalStatus
from app.domain.library_history import indicator_key
from app.services.demo.outcomes import HUNDRED, like_target
from app.services.demo.plan import GoalPlan, IndicatorPlan

UNMOVED_PER_SCALE = 4
VARIANT_SHARE = 0.04  # of last year's indicators, written the way departments do
MIN_UNMOVED = 2  # indicators that kept last year's target in an unmoved goal


def follow_last_year(
    rng: random.Random, previous: list[GoalPlan], current: list[GoalPlan], scale: float
) -> list[str]:
    """Set current targets from last year's results; returns the unmoved projects' codes."""
    last = {g.project.code: g for g in previous if g.project is not None}
    pairs = [(g, last[g.project.code]) for g in current if g.project and g.project.code in last]
    fit = [(g, old) for g, old in pairs if len(_rose_past(g, old)) >= MIN_UNMOVED]
    wanted = max(1, round(UNMOVED_PER_SCALE * scale))
    # Goals still in review first: those are the ones the bureau's check should stop.
    pending = [pair for pair in fit if pair[0].status != GoalStatus.APPROVED.value]
    unmoved = rng.sample(pending, min(len(pending), wanted))
    rest = [pair for pair in fit if pair not in unmoved]
    unmoved += rng.sample(rest, min(len(rest), wanted - len(unmoved)))
    unmoved_ids = {g.id for g, _ in unmoved}
    for goal, old in pairs:
        if goal.id in unmoved_ids:
            for ind, before in _rose_past(goal, old):
                ind.target = before.target
        else:
            for ind, before in _shared(goal, old):
                _raise_above(rng, ind, before)
    return sorted(g.project.code for g, _ in unmoved if g.project)


def _shared(goal: GoalPlan, old: GoalPlan) -> list[tuple[IndicatorPlan, IndicatorPlan]]:
    """Quantitative indicators used both years in the same unit and direction."""
    before = {(indicator_key(i.name, i.unit), i.unit, i.comparator): i for i in old.indicators}
    pairs = []
    for ind in goal.indicators:
        match = before.get((indicator_key(ind.name, ind.unit), ind.unit, ind.comparator))
        if match is None or not (ind.target and match.target) or match.actual is None:
            continue
        if ind.comparator != Comparator.EQ.value:
            pairs.append((ind, match))
    return pairs


def _rose_past(goal: GoalPlan, old: GoalPlan) -> list[tuple[IndicatorPlan, IndicatorPlan]]:
    """Shared ≥ indicators whose actual last year went past the target (below 100%)."""
    return [
        (ind, before)
        for ind, before in _shared(goal, old)
        if ind.comparator == Comparator.GE.value
        and before.actual is not None
        and before.target is not None
        and before.actual > before.target
        and not (ind.unit == "%" and before.actual >= HUNDRED)
    ]


def _raise_above(rng: random.Random, ind: IndicatorPlan, before: IndicatorPlan) -> None:
    """A little beyond last year's result: higher for a floor, lower for a ceiling."""
    assert before.actual is not None
    if Comparator(ind.comparator).is_reverse:
        value = before.actual * Decimal(str(round(rng.uniform(0.9, 0.98), 3)))
    else:
        value = before.actual * Decimal(str(round(rng.uniform(1.02, 1.1), 3)))
        if ind.unit == "%":
            value = min(value, HUNDRED)
    target = like_target(before.actual, value, ind.unit)
    reverse = Comparator(ind.comparator).is_reverse
    cent = Decimal("0.01")
    if (reverse and target >= before.actual) or (not reverse and target <= before.actual):
        target = value.quantize(cent)  # whole numbers too coarse (1 → 0.95)
    if not reverse and target <= before.actual:  # tiny amounts (0.02万元) still tie
        target = before.actual + cent
    if ind.unit == "%":
        target = min(target, HUNDRED)  # a rate already at 100% stays there
    if target > 0:
        ind.target = target


def vary_spellings(rng: random.Random, goals: list[GoalPlan]) -> None:
    """Write a few indicator names as departments do (★, a unit in brackets, 比例 for 率, a
    stray space), so `library from-history` has spellings to bring together."""
    for goal in goals:
        for ind in goal.indicators:
            if rng.random() < VARIANT_SHARE:
                ind.name = _variant(rng, ind.name, ind.unit)


def _variant(rng: random.Random, name: str, unit: str) -> str:
    choices = [f"★{name}", f"{name[:2]} {name[2:]}"]
    if unit and unit != "%":
        choices.append(f"{name}（{unit}）")
    if name.endswith("率"):
        choices.append(name[:-1] + "比例")
    return rng.choice(choices)
