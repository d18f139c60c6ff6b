"""Review findings that compare a goal with the county's history (targets set too easy).

Departments set their own targets, and many are set to be met (the county's own report
names it). Four checks, each a warning on the indicator's row that says the figures it
compares:
- a target at or below last year's actual of the same indicator of the same project;
- a target far below the county's typical value for the indicator;
- a cost ceiling far above the county's typical cost;
- an indicator met at 100% or more in each of the last years with an unchanged target.
Direction matters throughout: for a ceiling (≤, <: costs, days) an easy target is a high
one, so the comparisons turn round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from app.domain.enums import Comparator
from app.domain.errors import Problem
from app.domain.goal_checks import IndicatorDraft, is_placeholder
from app.domain.indicator_values import format_target, normalize_level_label, normalize_name
from app.domain.library_history import Typical, indicator_key
from app.domain.numbers import plain
from app.domain.rules import HistoryRules

COL_TARGET = "指标值"
HUNDRED = Decimal(100)

KIND_BELOW_LAST_ACTUAL = "目标不高于上年实际"
KIND_BELOW_TYPICAL = "目标远低于县内典型值"
KIND_COST_ABOVE_TYPICAL = "成本远高于县内典型值"
KIND_STEADY_OVERMET = "连年超额完成且目标未变"
HISTORY_KINDS = (
    KIND_BELOW_LAST_ACTUAL,
    KIND_BELOW_TYPICAL,
    KIND_COST_ABOVE_TYPICAL,
    KIND_STEADY_OVERMET,
)


@dataclass(frozen=True)
class PastResult:
    """The same indicator of the same project in an earlier year."""

    year: int
    comparator: Comparator | None
    target: Decimal | None
    unit: str
    actual: Decimal | None


@dataclass(frozen=True)
class GoalHistory:
    """What the checks know of the past for one goal.

    `past` maps an indicator key to the project's earlier years, newest first; `typical`
    maps (二级, key) to the county's typical target.
    """

    year: int
    past: Mapping[str, Sequence[PastResult]]
    typical: Mapping[tuple[str, str], Typical]


@dataclass(frozen=True)
class HistoryFinding:
    kind: str
    row: int
    name: str
    message: str
    figures: dict[str, str]

    def problem(self) -> Problem:
        return Problem(self.message, row=self.row, column=COL_TARGET, blocking=False)


def check_history(
    indicators: Sequence[IndicatorDraft],
    history: GoalHistory,
    rules: HistoryRules,
    cost_classes: Sequence[str] = (),
) -> list[HistoryFinding]:
    """Every history finding of a goal's indicators, in row order."""
    findings: list[HistoryFinding] = []
    for position, draft in enumerate(indicators, start=1):
        if is_placeholder(draft) or draft.target is None or draft.comparator is None:
            continue
        if not draft.comparator.is_quantitative:
            continue
        row = _Target(draft, draft.row if draft.row is not None else position)
        past = [p for p in history.past.get(row.key, ()) if _same_unit(p.unit, row.unit)]
        findings += _below_last_actual(row, history.year, past)
        findings += _steady_overmet(row, past, rules)
        typical = history.typical.get((row.level2, row.key))
        if _usable(typical, row, rules):
            assert typical is not None
            if row.level2 in cost_classes:
                findings += _cost_above_typical(row, typical, rules)
            else:
                findings += _below_typical(row, typical, rules)
    return findings


@dataclass(frozen=True)
class _Target:
    draft: IndicatorDraft
    row: int

    @property
    def key(self) -> str:
        return indicator_key(self.draft.name, self.draft.unit)

    @property
    def name(self) -> str:
        return normalize_name(self.draft.name)

    @property
    def level2(self) -> str:
        return normalize_level_label(self.draft.level2)

    @property
    def unit(self) -> str:
        return normalize_name(self.draft.unit)

    @property
    def value(self) -> Decimal:
        assert self.draft.target is not None  # filtered in check_history
        return self.draft.target

    @property
    def reverse(self) -> bool:
        return self.draft.comparator is not None and self.draft.comparator.is_reverse

    @property
    def shown(self) -> str:
        return format_target(self.draft.comparator, self.draft.target, self.draft.unit)

    def finding(self, kind: str, message: str, figures: dict[str, str]) -> HistoryFinding:
        figures = {"指标": self.name, "本年目标": self.shown, **figures}
        return HistoryFinding(kind, self.row, self.name, f"【{kind}】{message}", figures)


def _usable(typical: Typical | None, row: _Target, rules: HistoryRules) -> bool:
    return (
        typical is not None
        and typical.projects >= rules.min_projects
        and _same_unit(typical.unit, row.unit)
        and _comparable(row.unit, rules)
    )


def _same_unit(a: str, b: str) -> bool:
    return normalize_name(a) == normalize_name(b)


def _comparable(unit: str, rules: HistoryRules) -> bool:
    """Targets compare across projects only for rates and unit costs, not for totals
    (a big project rightly plans more people than a small one)."""
    return unit in rules.comparable_units or "/" in unit


def _amount(value: Decimal, unit: str) -> str:
    return f"{plain(value)}{unit}"


def _below_last_actual(row: _Target, year: int, past: Sequence[PastResult]) -> list[HistoryFinding]:
    """Not for `=` (an exact amount, such as a subsidy standard, is not easier when lower)
    nor for a rate already at 100%, which cannot be set higher."""
    last = next((p for p in past if p.year == year - 1), None)
    if last is None or last.actual is None or row.draft.comparator is Comparator.EQ:
        return []
    if not row.reverse and row.unit == "%" and row.value >= HUNDRED:
        return []
    easy = row.value >= last.actual if row.reverse else row.value <= last.actual
    if not easy:
        return []
    actual = _amount(last.actual, row.unit)
    if row.reverse:
        message = (
            f"“{row.name}”本年上限 {row.shown} 不低于上年（{last.year}年）实际 {actual}，"
            "按上年水平即可完成，目标偏松"
        )
    else:
        message = (
            f"“{row.name}”本年目标 {row.shown} 不高于上年（{last.year}年）实际完成 {actual}，"
            "不做新的努力也能完成，目标偏低"
        )
    figures = {"上年": str(last.year), "上年实际": actual}
    if last.target is not None:
        figures["上年目标"] = format_target(last.comparator, last.target, last.unit)
    return [row.finding(KIND_BELOW_LAST_ACTUAL, message, figures)]


def _below_typical(row: _Target, typical: Typical, rules: HistoryRules) -> list[HistoryFinding]:
    if row.reverse:
        return []  # a ceiling on time or a rate: judged by the cost check only when a cost
    floor = typical.median * rules.low_ratio
    if row.value >= floor:
        return []
    median = _amount(typical.median, row.unit)
    message = (
        f"“{row.name}”目标 {row.shown} 远低于县内同类项目的典型值 {median}"
        f"（{typical.projects} 个项目的中位数；低于 {plain(rules.low_ratio * 100)}% 即提示）"
    )
    figures = {"县内典型值": median, "项目数": str(typical.projects)}
    return [row.finding(KIND_BELOW_TYPICAL, message, figures)]


def _cost_above_typical(
    row: _Target, typical: Typical, rules: HistoryRules
) -> list[HistoryFinding]:
    ceiling = typical.median * rules.high_cost_ratio
    if row.value <= ceiling:
        return []
    median = _amount(typical.median, row.unit)
    message = (
        f"成本指标“{row.name}”{row.shown} 远高于县内同类项目的典型成本 {median}"
        f"（{typical.projects} 个项目的中位数；高于 {plain(rules.high_cost_ratio * 100)}% 即提示）"
    )
    figures = {"县内典型值": median, "项目数": str(typical.projects)}
    return [row.finding(KIND_COST_ABOVE_TYPICAL, message, figures)]


def _steady_overmet(
    row: _Target, past: Sequence[PastResult], rules: HistoryRules
) -> list[HistoryFinding]:
    """Met at ≥ 100% in each of the last `steady_years` years with the same target as now."""
    years = sorted(past, key=lambda p: -p.year)[: rules.steady_years]
    if len(years) < rules.steady_years:
        return []
    consecutive = all(a.year - b.year == 1 for a, b in pairwise(years))
    if not consecutive or any(p.target != row.value or p.actual is None for p in years):
        return []
    if not all(_met_fully(p, row.reverse) for p in years):
        return []
    results = "、".join(f"{p.year}年 {_amount(p.actual or Decimal(0), row.unit)}" for p in years)
    message = (
        f"“{row.name}”连续 {len(years)} 年目标均为 {row.shown} 且每年都完成（{results}），"
        "本年目标仍未调整"
    )
    figures = {f"{p.year}年实际": _amount(p.actual or Decimal(0), row.unit) for p in years}
    return [row.finding(KIND_STEADY_OVERMET, message, figures)]


def _met_fully(p: PastResult, reverse: bool) -> bool:
    if p.actual is None or p.target is None:
        return False
    return p.actual <= p.target if reverse else p.actual >= p.target
