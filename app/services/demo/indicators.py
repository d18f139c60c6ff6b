"""Indicators of one goal: which classes, which library entries, targets and points."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.enums import Comparator
from app.domain.goal_money import unit_cost
from app.domain.numbers import plain
from app.domain.rules import GoalRules
from app.services.demo.plan import IndicatorPlan, Rows
from app.services.library.records import LibraryEntry
from app.storage.models import Indicator

GENERAL_FIELD = "通用"
MIN_INDICATORS, MAX_INDICATORS = 8, 15


@dataclass(frozen=True)
class Vocabulary:
    """Library entries by (行业, 二级), with their database ids."""

    entries: dict[tuple[str, str], list[tuple[LibraryEntry, int]]]
    targets: dict[str, Any]

    @classmethod
    def build(cls, library: list[tuple[LibraryEntry, int]], targets: dict[str, Any]) -> Vocabulary:
        entries: dict[tuple[str, str], list[tuple[LibraryEntry, int]]] = {}
        for entry, lib_id in library:
            entries.setdefault((entry.field, entry.level2), []).append((entry, lib_id))
        return cls(entries, targets)

    def candidates(
        self, rng: random.Random, fields: tuple[str, ...], level2: str, about: str = ""
    ) -> list[tuple[LibraryEntry, int]]:
        """The field's own entries first, then the general ones; within each, entries whose
        names share words with the project's name (`about`) come first, the rest shuffled."""
        found = []
        words = _bigrams(about)
        for name in fields:
            group = list(self.entries.get((name, level2), []))
            rng.shuffle(group)
            if words:
                group.sort(key=lambda c: -len(words & _bigrams(c[0].name)))
            found += group
        return found


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def class_counts(
    rng: random.Random, layout: GoalRules, vocab: Vocabulary, fields: tuple[str, ...]
) -> dict[str, int]:
    """How many indicators each 二级 class gets: 8-15 in all, at least one per 一级."""
    counts: dict[str, int] = {}
    for l1 in layout.level1:
        if layout.quantity_class in l1.level2:
            for name in l1.level2:
                if name == layout.quantity_class:
                    counts[name] = rng.randint(2, 3)
                elif name in layout.cost_classes:
                    counts[name] = 1 if rng.random() < 0.7 else 0
                else:
                    counts[name] = 1 + (rng.random() < 0.2)
        elif len(l1.level2) == 1:
            counts[l1.level2[0]] = 1 + (rng.random() < 0.25)
        else:
            _benefit_counts(rng, l1.level2, vocab, fields, counts)
    _fit_total(rng, layout, counts)
    return counts


def _benefit_counts(
    rng: random.Random,
    classes: tuple[str, ...],
    vocab: Vocabulary,
    fields: tuple[str, ...],
    counts: dict[str, int],
) -> None:
    # Prefer classes the field has its own entries for (e.g. 生态效益 for 林业).
    weights = [1 + 3 * len(vocab.entries.get((fields[0], c), [])) for c in classes]
    picked = rng.choices(classes, weights=weights, k=rng.randint(2, 4))
    for name in classes:
        counts[name] = picked.count(name)


def _fit_total(rng: random.Random, layout: GoalRules, counts: dict[str, int]) -> None:
    target = rng.randint(MIN_INDICATORS, MAX_INDICATORS - 3)
    outputs = next(l1.level2 for l1 in layout.level1 if layout.quantity_class in l1.level2)
    while sum(counts.values()) < target:  # mostly more 数量指标, as real goals have
        counts[rng.choice((layout.quantity_class, layout.quantity_class, *outputs))] += 1
    while sum(counts.values()) > MAX_INDICATORS:
        largest = max(counts, key=lambda k: counts[k])
        counts[largest] -= 1


def split_points(total: int, n: int) -> list[int]:
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def level1_points(rng: random.Random, layout: GoalRules) -> list[int]:
    """The default split mostly; sometimes 10 points moved from 产出 to 满意度 (a warning only)."""
    points = [int(l1.points) for l1 in layout.level1]
    if len(points) >= 2 and rng.random() < 0.12 and points[0] > 20:
        points[0] -= 10
        points[-1] += 10
    return points


def plan_indicators(
    rng: random.Random,
    rows: Rows,
    layout: GoalRules,
    vocab: Vocabulary,
    fields: tuple[str, ...],
    amount_wan: float,
    about: str = "",
) -> list[IndicatorPlan]:
    counts = class_counts(rng, layout, vocab, fields)
    plans: list[IndicatorPlan] = []
    used: set[str] = set()
    for l1, l1_points in zip(layout.level1, level1_points(rng, layout), strict=True):
        chosen = []
        for level2 in l1.level2:
            ranked = vocab.candidates(rng, fields, level2, about)
            pool = [c for c in ranked if c[0].name not in used]
            for entry, lib_id in pool[: counts.get(level2, 0)]:
                used.add(entry.name)
                chosen.append((entry, lib_id))
        if not chosen:  # keep every 一级 filled even if the field has nothing for it
            entry, lib_id = vocab.candidates(rng, (GENERAL_FIELD,), l1.level2[0])[0]
            chosen.append((entry, lib_id))
        for (entry, lib_id), pts in zip(chosen, split_points(l1_points, len(chosen)), strict=True):
            target, text = target_for(rng, entry, amount_wan, vocab.targets)
            plans.append(
                IndicatorPlan(
                    id=rows.new_id(Indicator),
                    position=len(plans) + 1,
                    level1=entry.level1,
                    level2=entry.level2,
                    name=entry.name,
                    comparator=entry.comparator,
                    target=target,
                    target_text=text,
                    unit=entry.unit,
                    points=pts,
                    explanation=entry.explanation,
                    library_id=lib_id,
                )
            )
    _fit_unit_costs(rng, plans, layout, amount_wan)
    return plans


def _fit_unit_costs(
    rng: random.Random, plans: list[IndicatorPlan], layout: GoalRules, amount_wan: float
) -> None:
    """A unit cost (元/人...) times its quantity spends most of the money, as a department
    plans it: the quantity is set from the cost, so goals pass the goal-vs-money check."""
    for cost in plans:
        split = unit_cost(cost.unit) if cost.level2 in layout.cost_classes else None
        if split is None or cost.target is None or cost.target <= 0:
            continue
        scale, per = split
        matching = [
            q
            for q in plans
            if q.level2 == layout.quantity_class and q.unit == per and q.target is not None
        ]
        if len(matching) == 1:
            share = amount_wan * 10000 * rng.uniform(0.5, 0.95)
            matching[0].target = Decimal(_nice(share / float(cost.target * scale)))


def target_for(
    rng: random.Random, entry: LibraryEntry, amount_wan: float, targets: dict[str, Any]
) -> tuple[Decimal | None, str]:
    """A plausible 指标值 for the entry on a project of this size."""
    if entry.comparator == Comparator.QUALITATIVE:
        return None, rng.choice(targets["qualitative"])
    if entry.name in targets["zero"]:
        return Decimal(0), ""
    if entry.name in targets["share_of_amount"]:
        low, high = targets["share_of_amount"][entry.name]
        return Decimal(str(round(amount_wan * rng.uniform(low, high), 2))), ""
    if entry.name in targets["named"]:
        low, high = targets["named"][entry.name]
        return Decimal(rng.randint(low, high)), ""
    if entry.unit == "%":
        small = any(word in entry.name for word in targets["small_percent_words"])
        choices = targets["small_percent" if small else "percent"][entry.comparator]
        return Decimal(rng.choice(choices)), ""
    if entry.unit in targets["per_wan"]:
        low, high = targets["per_wan"][entry.unit]
        return Decimal(_nice(amount_wan * rng.uniform(low, high))), ""
    low, high = targets["fixed"].get(entry.unit, [1, 10])
    return Decimal(rng.randint(int(low), int(high))), ""


def _nice(value: float) -> int:
    """Round to two significant figures, as people write targets (1,234 → 1,200)."""
    if value < 20:
        return max(1, round(value))
    step = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / step) * step)


def indicator_row(goal_id: int, p: IndicatorPlan) -> dict[str, Any]:
    is_cost = "成本" in p.level2
    return {
        "id": p.id,
        "goal_id": goal_id,
        "position": p.position,
        "level1": p.level1,
        "level2": p.level2,
        "name": p.name,
        "comparator": p.comparator,
        "target_value": p.target,
        "target_text": p.target_text,
        "unit": p.unit,
        "points": Decimal(p.points),
        "explanation": p.explanation,
        "standard_source": "预算支出标准" if is_cost else "计划标准",
        "library_indicator_id": p.library_id,
    }


def display_target(p: IndicatorPlan) -> str:
    """As printed on the forms: ≥1200人, =100%, or the qualitative text."""
    if p.target is None:
        return p.target_text
    return f"{p.comparator}{plain(p.target)}{p.unit}"
