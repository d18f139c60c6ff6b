"""结果应用 into next year (docs/domain.md §11): a confirmed cut lowers the rolled-forward amount.

Decisions:
- The cut comes out of 财政拨款 first (the money the bureau arranges), then 其他资金; it
  never takes an amount below zero, so a cut larger than the project is capped at its total.
- A cut can be undone until next year's goal is approved: after approval the amount is
  what the budget was built on, and changing it would silently break the approved goal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import GoalStatus

ZERO = Decimal(0)


@dataclass(frozen=True)
class Amounts:
    total: Decimal
    fiscal: Decimal
    other: Decimal


def apply_cut(before: Amounts, cut: Decimal) -> tuple[Amounts, Decimal]:
    """The amounts after the cut and the cut actually applied (capped at the total)."""
    applied = min(max(cut, ZERO), before.total)
    from_fiscal = min(applied, before.fiscal)
    from_other = min(applied - from_fiscal, before.other)
    after = Amounts(before.total - applied, before.fiscal - from_fiscal, before.other - from_other)
    return after, applied


def reversible(next_goal_status: GoalStatus | None) -> bool:
    """True until next year's goal is approved (no goal yet counts as open)."""
    return next_goal_status is not GoalStatus.APPROVED
