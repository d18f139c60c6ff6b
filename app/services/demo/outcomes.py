"""Year-end outcomes: how well each approved goal did, decided before monitoring is written.

A goal draws a performance tier; the tier sets its final execution rate and how many of its
indicators miss. Misses are rare for good tiers and modest in size (a rate a few points short,
a ceiling overrun by a fraction), so December looks like a real county: most projects green,
about one in five red; earlier rounds add the yellow and red of spending lag. Monitoring
rounds then walk towards these outcomes, and the self-evaluation reports them, so the two
agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.domain.enums import Comparator, QualitativeBand
from app.services.demo.plan import GoalPlan, IndicatorPlan


@dataclass(frozen=True)
class Tier:
    name: str
    weight: int
    execution: tuple[float, float]  # final B/A
    miss_chance: float
    miss_ratio: tuple[float, float]  # share of the target reached when missed


TIERS = (
    Tier("优", 55, (0.95, 1.0), 0.005, (0.85, 0.99)),
    Tier("良", 28, (0.8, 0.95), 0.03, (0.5, 0.85)),
    Tier("中", 12, (0.6, 0.85), 0.15, (0.3, 0.7)),
    Tier("差", 5, (0.3, 0.6), 0.5, (0.05, 0.4)),
)
OVER_COMPLETION_CHANCE = 0.05
HUNDRED = Decimal(100)


def draw_tier(rng: random.Random) -> Tier:
    return rng.choices(TIERS, weights=[t.weight for t in TIERS])[0]


def decide_outcomes(rng: random.Random, goal: GoalPlan) -> Tier:
    tier = draw_tier(rng)
    goal.tier = tier.name
    for indicator in goal.indicators:
        missed = rng.random() < tier.miss_chance
        ratio = rng.uniform(*tier.miss_ratio) if missed else 1.0
        _set_actual(rng, indicator, ratio)
    return tier


def _set_actual(rng: random.Random, ind: IndicatorPlan, ratio: float) -> None:
    ind.ratio = ratio
    if ind.target is None:
        ind.band = _band(ratio).value
        return
    met = ratio >= 1.0
    target = ind.target
    if target == 0:
        ind.actual = Decimal(0) if met else Decimal(rng.randint(1, 3))
        ind.ratio = 1.0 if met else 0.0
    elif ind.comparator in (Comparator.LE, Comparator.LT):
        if ind.unit == "月" and target >= 12:  # a December deadline cannot slip in-year
            met, ind.ratio = True, 1.0
        # A missed ceiling is overrun by a fraction (20 days, not 49, against ≤ 17 days).
        factor = rng.uniform(0.8, 0.98) if met else 1.0 + 0.3 * (1.0 - ratio)
        actual = like_target(target, target * Decimal(str(factor)), ind.unit)
        if not met and actual <= target:  # a whole-number ceiling rounded back to it
            actual = target + 1
        if ind.unit == "月":  # a deadline month slips, but not past December
            actual = min(actual, Decimal(12))
        ind.actual = actual
    elif ind.unit == "%":
        ind.actual = _percent_actual(rng, ind, ratio)
    else:
        if met and rng.random() < OVER_COMPLETION_CHANCE:
            ind.ratio = ratio = rng.uniform(1.3, 1.8)
        elif met and ind.comparator != Comparator.EQ:
            ratio = rng.uniform(1.0, 1.12)
        ind.actual = like_target(target, target * Decimal(str(ratio)), ind.unit)
        if ind.comparator == Comparator.GT and met and ind.actual <= target:
            ind.actual = target + 1


def _percent_actual(rng: random.Random, ind: IndicatorPlan, ratio: float) -> Decimal:
    target = ind.target or HUNDRED
    if ratio < 1.0:  # a rate misses by a few points, not by half (95% → 67% is no county)
        ratio = 0.8 + 0.2 * ratio
        ind.ratio = ratio
        return like_target(target, target * Decimal(str(ratio)), "%")
    if ind.comparator == Comparator.EQ:
        return target
    # Met: at or a little above the target, never above 100%.
    above = target * Decimal(str(round(rng.uniform(1.0, 1.06), 4)))
    return min(HUNDRED, above.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def like_target(target: Decimal, value: Decimal, unit: str) -> Decimal:
    """Whole numbers for whole-number targets (people, kilometres of 1,200), else 2 decimals."""
    if unit != "%" and target == target.to_integral_value():
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _band(ratio: float) -> QualitativeBand:
    if ratio >= 1.0:
        return QualitativeBand.ACHIEVED
    if ratio >= 0.6:
        return QualitativeBand.PARTLY
    return QualitativeBand.MISSED


def final_execution(rng: random.Random, tier_name: str) -> float:
    tier = next(t for t in TIERS if t.name == tier_name)
    return rng.uniform(*tier.execution)
