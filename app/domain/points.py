"""The points helper: spread each 一级's points over its rows so they add up exactly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from app.domain.errors import UserError
from app.domain.goal_checks import IndicatorDraft
from app.domain.indicator_values import normalize_level_label
from app.domain.money import CENT
from app.domain.numbers import plain
from app.domain.rules import RuleSet


def spread_points(
    rows: Sequence[IndicatorDraft],
    rules: RuleSet,
    weights: Sequence[Decimal] | None = None,
    step: Decimal = CENT,
) -> list[Decimal]:
    """Points for each row, spreading each 一级's points over its rows.

    Shares are equal, or proportional to `weights` (one per row; a group whose weights
    are all 0 is shared equally). Results are multiples of `step` (0.01 by default, the
    precision of every score; pass Decimal(1) for whole points) and each group adds up
    exactly to its 一级 points: largest-remainder method, ties going to the earlier row.
    """
    if weights is not None and len(weights) != len(rows):
        raise ValueError("weights must have one entry per row")
    points = {l1.name: l1.points for l1 in rules.goals.level1}
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        level1 = normalize_level_label(row.level1)
        if level1 not in points:
            raise UserError(f"第{i + 1}行的一级指标“{level1}”不在规则集的指标体系中，无法分配分值")
        groups.setdefault(level1, []).append(i)
    result = [Decimal(0)] * len(rows)
    for level1, members in groups.items():
        shares = [weights[i] if weights is not None else Decimal(1) for i in members]
        for i, units in zip(members, _largest_remainder(points[level1], shares, step), strict=True):
            result[i] = units * step
    return result


def _largest_remainder(total: Decimal, shares: Sequence[Decimal], step: Decimal) -> list[int]:
    """Split total/step whole units in proportion to shares, exactly (Fraction arithmetic)."""
    if any(share < 0 for share in shares):
        raise UserError("分配分值的权重不能为负数")
    units = Fraction(total) / Fraction(step)
    if units.denominator != 1:
        raise UserError(f"分值 {plain(total)} 不能按 {plain(step)} 的精度分配")
    weight_sum = sum((Fraction(share) for share in shares), Fraction(0))
    if weight_sum == 0:
        shares, weight_sum = [Decimal(1)] * len(shares), Fraction(len(shares))
    quotas = [units * Fraction(share) / weight_sum for share in shares]
    base = [int(q) for q in quotas]  # quotas are non-negative, so int() is floor
    leftover = int(units) - sum(base)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - base[i]), i))
    for i in by_remainder[:leftover]:
        base[i] += 1
    return base
