"""部门整体 monitoring: a department's basic and project spending as one round entry.

Design decisions:
- The department-wide budget lamp judges the whole: (基本 + 项目 执行数) ÷ (基本 + 项目
  调整后预算) against 序时进度, by the same rule set as a project (app.domain.lamps);
  the goal's indicators are lit by the same indicator rules.
- At opening, the project part is what the department's projects of the year amount to,
  and the basic part the rest of the goal's 整体支出 (never below 0: a goal that states
  less than its projects is the goal's problem, not a negative basic budget).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.enums import DeviationCategory
from app.domain.lamps import IndicatorProgress, RoundEntry


@dataclass(frozen=True)
class DepartmentSpending:
    """调整后预算 (A) and 执行数 (B) of 基本支出 and 项目支出, 元."""

    basic_budget: Decimal
    basic_spent: Decimal
    project_budget: Decimal
    project_spent: Decimal

    @property
    def budget(self) -> Decimal:
        return self.basic_budget + self.project_budget

    @property
    def spent(self) -> Decimal:
        return self.basic_spent + self.project_spent


def opening_budgets(whole: Decimal | None, projects: Decimal) -> tuple[Decimal, Decimal]:
    """(基本支出, 项目支出) budgets a new round starts from: the projects' amounts, and the
    rest of the goal's 整体支出 (None: not stated) as basic spending."""
    basic = max((whole or Decimal(0)) - projects, Decimal(0))
    return basic, projects


def department_entry(
    month: int,
    spending: DepartmentSpending,
    indicators: tuple[IndicatorProgress, ...] = (),
    category: DeviationCategory | None = None,
    reason: str = "",
) -> RoundEntry:
    """The round entry the lamps judge: the department's whole spending and its indicators."""
    return RoundEntry(month, spending.budget, spending.spent, indicators, category, reason)
