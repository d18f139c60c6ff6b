"""Goal vs money: cost indicators that do not fit the goal's 资金总额 (review findings).

The first reason goals are returned in practice is a cost that the money cannot pay
for, or a unit cost whose product with the quantity is far from the amount asked.

Design decisions (conservative: a warning must be worth the reviewer's time):
- Only quantitative rows with a target count; qualitative and placeholder rows never do.
- A unit cost is a 成本 row (rule set `cost_classes`) whose unit is 元/X or 万元/X.
  It is matched to a 数量指标 only when exactly one quantity row has the unit X
  (after tidying): with two (培训人数 and 受益人数 both 人) the pairing is a guess.
- Unit cost × quantity above 资金总额 × OVER is flagged: the cost could not be paid.
  Below 资金总额 ÷ UNDER_FACTOR is flagged only when the goal has a single unit cost:
  the row then stands for the money, and a factor of 10 is the 元/万元 slip. With
  several cost rows each pays part of the money, so being small proves nothing.
- A 成本 row in plain 元 or 万元 above 资金总额 is flagged: a part cannot exceed the whole.
- Every finding names the row of the cost indicator and the figures it compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.domain.errors import Problem
from app.domain.indicator_values import normalize_level_label, normalize_name
from app.domain.money import YUAN_PER_WAN
from app.domain.numbers import plain

COL_TARGET = "指标值"
OVER = Decimal("1.2")  # unit cost × quantity more than 120% of the money
UNDER_FACTOR = Decimal(10)  # ... or less than a tenth of it (one cost row only)
MONEY_UNITS = {"元": Decimal(1), "万元": YUAN_PER_WAN}


@dataclass(frozen=True)
class CostRow:
    """A quantitative indicator as the check needs it; `row` is the row to report."""

    row: int
    level2: str
    name: str
    comparator_text: str  # the comparator as shown (≤, =, ...)
    target: Decimal
    unit: str


def money_findings(
    total: Decimal | None,
    rows: Sequence[CostRow],
    cost_classes: tuple[str, ...],
    quantity_class: str,
) -> list[Problem]:
    """Non-blocking problems where cost indicators disagree with 资金总额 (元)."""
    if total is None or total <= 0:
        return []
    costs = [r for r in rows if normalize_level_label(r.level2) in cost_classes]
    quantities = [r for r in rows if normalize_level_label(r.level2) == quantity_class]
    unit_costs = [(r, split) for r in costs if (split := unit_cost(r.unit)) is not None]
    problems = []
    for cost in costs:
        scale = MONEY_UNITS.get(normalize_name(cost.unit))
        if scale is not None and cost.target * scale > total:
            problems.append(_problem(cost, f"超过资金总额 {_wan(total)} 万元，成本不能大于总额"))
    for cost, (scale, per) in unit_costs:
        matching = [q for q in quantities if normalize_name(q.unit) == per]
        if len(matching) != 1:
            continue
        quantity = matching[0]
        product = cost.target * scale * quantity.target
        figures = (
            f"× 数量指标“{quantity.name}”（第{quantity.row}行）"
            f"{plain(quantity.target)}{quantity.unit} = {_wan(product)} 万元"
        )
        if product > total * OVER:
            problems.append(
                _problem(cost, f"{figures}，超过资金总额 {_wan(total)} 万元，成本与资金不匹配")
            )
        elif len(unit_costs) == 1 and product * UNDER_FACTOR < total:
            problems.append(
                _problem(
                    cost,
                    f"{figures}，不足资金总额 {_wan(total)} 万元的十分之一，"
                    "请核对单位（元/万元）或数量",
                )
            )
    return problems


def unit_cost(unit: str) -> tuple[Decimal, str] | None:
    """(元 per unit of money, the per-what unit) of 元/人, 万元/个 ...; None otherwise."""
    money, slash, per = normalize_name(unit).replace("／", "/").partition("/")
    if not slash or money not in MONEY_UNITS or not per:
        return None
    return MONEY_UNITS[money], per


def _problem(cost: CostRow, tail: str) -> Problem:
    shown = f"{cost.comparator_text}{plain(cost.target)}{cost.unit}"
    return Problem(
        f"成本指标“{cost.name}”{shown} {tail}", row=cost.row, column=COL_TARGET, blocking=False
    )


def _wan(yuan: Decimal) -> str:
    return f"{yuan / YUAN_PER_WAN:,.2f}"
