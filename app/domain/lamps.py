"""Warning lamps of in-year monitoring (双监控, docs/domain.md §5).

Design decisions:
- Band edges are compared by cross-multiplication (rate × 12 against band × month), never
  after dividing by month/12, which is a repeating decimal for most months: an execution
  rate exactly on a band edge lands in the upper band, as the rules say ("60-80% yellow").
- No lamp (None) when it cannot be computed: a budget (A) of 0, or no current value. The
  explanation says why; the caller decides whether that is itself a problem.
- Gap rule (the city's alternative): more than `budget_gap_points` percentage points
  behind 序时进度 is red, anything else green. Exactly N points behind is still green.
  The city's rule knows only "warning" or not, so there is no yellow band.
- Severity for a project's lamp: red > yellow > blue > green. Blue ("well ahead: was the
  target too low?") deserves a look, so it outranks green, but it is no deviation.
- Only red and yellow make 偏差原因 mandatory, both its category and its text. Problems
  about an indicator carry its `row`, or its 1-based position in the entry.
- Which indicator rule applies, first match wins: qualitative → 达成/部分达成/未达成;
  reverse comparator, a 质量/时效/成本 class (rule set `within_target`) or a target ≤ 0 →
  within target green, else red; a unit listed in `monitoring.non_cumulative_units` (%,
  ‰, 年...) → the level rule; anything else → the pace rule (target × month/12).
- Level rule: a rate such as 验收合格率 ≥95% or 满意度 ≥90% does not accumulate over the
  year, so comparing it with 95% × 6/12 made every satisfied target blue mid-year. It is
  judged in every round the way the pace rule judges December: current ÷ full target with
  the same bands (< 60% red, 60-80% yellow, 80-120% green, ≥ 120% blue). So a met target
  is green, a rate slightly short (≥ 80% of target) is green too, as any indicator is
  at year end, and a growth rate far above its target is blue ("was the target too low?").
- A blank current value lights no lamp; an entered 0 is a figure and is judged (a 0 on a
  ≥ quality rate is red). Departments leave blank what cannot be measured yet (an
  acceptance rate before acceptance, a satisfaction survey done in Q4) instead of typing 0:
  the export's instructions say so. Hiding entered zeros would also hide real failures.
- What decides a lamp is kept apart from its wording: `evaluate_round` explains every lamp
  (the round's list, the reports), `project_lamp` only lights the project (the dashboard,
  130,000 indicators a year); both go through the same deciding functions. An indicator's
  bare lamp (`bare_indicator_lamp`) is a function of its plain values, so the dashboard
  decides each distinct row of a round once and lights projects from those lamps
  (`lit_project_lamp`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum, auto
from itertools import chain

from app.domain.enums import Comparator, DeviationCategory, Lamp
from app.domain.errors import Problem
from app.domain.indicator_values import format_target
from app.domain.money import format_percent
from app.domain.numbers import plain
from app.domain.rules import MonitoringRules, RuleSet

MONTHS = 12
_SEVERITY = {Lamp.GREEN: 0, Lamp.BLUE: 1, Lamp.YELLOW: 2, Lamp.RED: 3}
_NEEDS_REASON = (Lamp.RED, Lamp.YELLOW)


class QualitativeProgress(StrEnum):
    """Progress of a qualitative indicator as the department reports it."""

    ACHIEVED = "达成"
    PARTLY = "部分达成"
    MISSED = "未达成"


_QUALITATIVE_LAMPS = {
    QualitativeProgress.ACHIEVED: Lamp.GREEN,
    QualitativeProgress.PARTLY: Lamp.YELLOW,
    QualitativeProgress.MISSED: Lamp.RED,
}


@dataclass(frozen=True)
class LampResult:
    """A lamp (None if it cannot be lit) with a short Chinese explanation."""

    lamp: Lamp | None
    explanation: str


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator row of a monitoring round entry."""

    name: str
    level2: str
    comparator: Comparator
    annual_target: Decimal | None
    unit: str = ""
    current_value: Decimal | None = None
    qualitative_progress: QualitativeProgress | None = None
    deviation_category: DeviationCategory | None = None
    deviation_reason: str = ""
    row: int | None = None


@dataclass(frozen=True)
class RoundEntry:
    """A project's report for one monitoring round. Amounts in 元."""

    month: int
    budget: Decimal  # A: 调整后预算
    spent: Decimal  # B: 执行数 to date
    indicators: tuple[IndicatorProgress, ...] = ()
    budget_deviation_category: DeviationCategory | None = None
    budget_deviation_reason: str = ""


@dataclass(frozen=True)
class RoundLamps:
    budget: LampResult
    indicators: tuple[LampResult, ...]
    project: Lamp | None
    notices: tuple[str, ...]


def _check_month(month: int) -> None:
    if not 1 <= month <= MONTHS:
        raise ValueError(f"month must be 1-12, got {month}")


def time_progress(month: int) -> Decimal:
    """序时进度: share of the year elapsed at the end of `month` (June → 0.5)."""
    _check_month(month)
    return Decimal(month) / MONTHS


def execution_rate(budget: Decimal, spent: Decimal) -> Decimal | None:
    """B/A. None when A is 0: with no budget there is no rate to judge."""
    if budget == 0:
        return None
    return spent / budget


def budget_lamp(rate: Decimal | None, month: int, rules: MonitoringRules) -> LampResult:
    """The budget lamp by the rule set's rule (ratio or gap)."""
    lamp = _budget_lamp(rate, month, rules)
    if rate is None or lamp is None:
        return LampResult(None, "调整后预算为 0，无法计算执行率，未亮灯")
    if rules.budget_rule == "gap":
        return LampResult(lamp, _gap_text(rate, month, rules, lamp))
    return LampResult(lamp, _ratio_text(rate, month, lamp))


def _budget_lamp(rate: Decimal | None, month: int, rules: MonitoringRules) -> Lamp | None:
    """The budget lamp alone: what decides it, shared by the explained and the bare paths."""
    _check_month(month)
    if rate is None:
        return None
    if rules.budget_rule == "gap":
        return Lamp.RED if _behind(rate, month) > rules.budget_gap_points * MONTHS else Lamp.GREEN
    scaled = rate * MONTHS  # v < band  ⟺  rate × 12 < band × month
    if scaled < rules.budget_ratio_red * month:
        return Lamp.RED
    if scaled < rules.budget_ratio_yellow * month:
        return Lamp.YELLOW
    return Lamp.GREEN


def _behind(rate: Decimal, month: int) -> Decimal:
    """Percentage points behind 序时进度, times 12 (so that no month divides).

    gap (pp) > N  ⟺  (month/12 − rate) × 100 > N  ⟺  month × 100 − rate × 1200 > N × 12
    """
    return Decimal(month) * 100 - rate * MONTHS * 100


def _ratio_text(rate: Decimal, month: int, lamp: Lamp) -> str:
    v = rate * MONTHS / month
    return (
        f"执行率 {format_percent(rate)} ÷ 序时进度 {format_percent(time_progress(month))} "
        f"= {format_percent(v)}，{lamp.label}"
    )


def _gap_text(rate: Decimal, month: int, rules: MonitoringRules, lamp: Lamp) -> str:
    limit = plain(rules.budget_gap_points)
    gap = format_percent(_behind(rate, month) / MONTHS / 100).removesuffix("%")
    relation = "超过" if lamp is Lamp.RED else "未超过"
    return (
        f"执行率 {format_percent(rate)}，序时进度 {format_percent(time_progress(month))}，"
        f"落后 {gap} 个百分点，{relation} {limit} 个百分点，{lamp.label}"
    )


class _Rule(Enum):
    """Which indicator rule applies (see the module notes)."""

    QUALITATIVE = auto()
    MISSING = auto()  # no target or no current value: no lamp
    WITHIN = auto()
    LEVEL = auto()
    PACE = auto()


def _rule(item: IndicatorProgress, rules: RuleSet) -> _Rule:
    if item.comparator is Comparator.QUALITATIVE:
        return _Rule.QUALITATIVE
    if item.annual_target is None or item.current_value is None:
        return _Rule.MISSING
    within = item.comparator.is_reverse or item.level2 in rules.goals.within_target_classes
    if within or item.annual_target <= 0:
        return _Rule.WITHIN
    if item.unit.strip() in rules.monitoring.non_cumulative_units:
        return _Rule.LEVEL
    return _Rule.PACE


def indicator_lamp(item: IndicatorProgress, month: int, rules: RuleSet) -> LampResult:
    """The lamp of one indicator (see module notes for which rule applies)."""
    rule = _rule(item, rules)
    lamp = _indicator_lamp(rule, item, month, rules.monitoring)
    return LampResult(lamp, _indicator_text(rule, item, month, lamp))


def _indicator_lamp(
    rule: _Rule, item: IndicatorProgress, month: int, rules: MonitoringRules
) -> Lamp | None:
    """The indicator's lamp alone, by `rule`."""
    _check_month(month)
    target, current = item.annual_target, item.current_value
    if rule is _Rule.QUALITATIVE:
        progress = item.qualitative_progress
        return None if progress is None else _QUALITATIVE_LAMPS[progress]
    if rule is _Rule.MISSING:
        return None
    assert target is not None and current is not None
    if rule is _Rule.WITHIN:
        return Lamp.GREEN if _meets(item.comparator, current, target) else Lamp.RED
    if rule is _Rule.LEVEL:
        return _progress_band(current, target, rules)
    # current ÷ (target × month/12) < band  ⟺  current × 12 < band × target × month
    return _progress_band(current * MONTHS, target * month, rules)


def _indicator_text(rule: _Rule, item: IndicatorProgress, month: int, lamp: Lamp | None) -> str:
    if rule is _Rule.QUALITATIVE:
        if lamp is None:
            return "定性指标未填报完成情况，未亮灯"
        return f"定性指标完成情况：{item.qualitative_progress}，{lamp.label}"
    if rule is _Rule.MISSING or lamp is None:
        return "缺少年度指标值或当前完成值，未亮灯"
    target, current = item.annual_target, item.current_value
    assert target is not None and current is not None
    if rule is _Rule.WITHIN:
        wanted = format_target(item.comparator, target, item.unit)
        verdict = "在目标范围内" if lamp is Lamp.GREEN else "未达到目标"
        return f"当前完成值 {plain(current)}{item.unit}，目标 {wanted}，{verdict}，{lamp.label}"
    if rule is _Rule.LEVEL:
        return (
            f"当前完成值 {plain(current)}{item.unit} ÷ 年度指标值 {plain(target)}{item.unit} "
            f"= {format_percent(current / target)}（比率类指标，不按序时折算），{lamp.label}"
        )
    return (
        f"当前完成值 {plain(current)}{item.unit} ÷（年度指标值 "
        f"{plain(target)}{item.unit} × {month}/12）= "
        f"{format_percent(current * MONTHS / (target * month))}，{lamp.label}"
    )


def _meets(comparator: Comparator, current: Decimal, target: Decimal) -> bool:
    if comparator is Comparator.EQ and target == 0:
        return current <= 0  # "=0" (e.g. 安全事故 = 0 起) is met only by none at all
    return {
        Comparator.GE: current >= target,
        Comparator.EQ: current >= target,  # as in scoring: "=" is judged like "≥"
        Comparator.GT: current > target,
        Comparator.LE: current <= target,
        Comparator.LT: current < target,
    }[comparator]


def _progress_band(done: Decimal, due: Decimal, rules: MonitoringRules) -> Lamp:
    """The indicator bands on done ÷ due (due > 0), compared without dividing."""
    if done < rules.indicator_red * due:
        return Lamp.RED
    if done < rules.indicator_yellow * due:
        return Lamp.YELLOW
    if done < rules.indicator_blue * due:
        return Lamp.GREEN
    return Lamp.BLUE


def worst_lamp(lamps: Iterable[Lamp | None]) -> Lamp | None:
    """The most severe lamp (red > yellow > blue > green); None if none is lit.

    Reads no further than the first red: nothing is worse, so lazily decided lamps after it
    are never decided."""
    worst = None
    for lamp in lamps:
        if lamp is Lamp.RED:
            return lamp
        if lamp is not None and (worst is None or _SEVERITY[lamp] > _SEVERITY[worst]):
            worst = lamp
    return worst


def city_notices(rate: Decimal | None, month: int, rules: MonitoringRules) -> list[str]:
    """The city's optional September and November rules (rule set `city_flags`)."""
    if not rules.city_flags or rate is None:
        return []
    if month == 9 and rate < rules.september_floor:
        return [
            f"9月末执行率 {format_percent(rate)} 低于 {format_percent(rules.september_floor)}，"
            "按规定收回滞后资金"
        ]
    if month == 11 and rate < rules.november_floor:
        return [
            f"11月执行率 {format_percent(rate)} 低于 {format_percent(rules.november_floor)}，"
            "下年预算按实际支出核定"
        ]
    return []


def evaluate_round(entry: RoundEntry, rules: RuleSet) -> RoundLamps:
    """All lamps of a round entry, the project's worst lamp and the city notices."""
    rate = execution_rate(entry.budget, entry.spent)
    budget = budget_lamp(rate, entry.month, rules.monitoring)
    indicators = tuple(indicator_lamp(item, entry.month, rules) for item in entry.indicators)
    project = worst_lamp([budget.lamp, *(result.lamp for result in indicators)])
    notices = tuple(city_notices(rate, entry.month, rules.monitoring))
    return RoundLamps(budget, indicators, project, notices)


def project_lamp(entry: RoundEntry, rules: RuleSet) -> Lamp | None:
    """The project lamp of `evaluate_round`, without wording any explanation (a year's
    dashboard lights 130,000 indicator lamps and shows none of their texts)."""
    indicators = (bare_indicator_lamp(item, entry.month, rules) for item in entry.indicators)
    return lit_project_lamp(entry.month, entry.budget, entry.spent, indicators, rules)


def bare_indicator_lamp(item: IndicatorProgress, month: int, rules: RuleSet) -> Lamp | None:
    """The lamp of `indicator_lamp` alone. It depends on nothing but `item`, `month` and
    the rules, so a caller lighting many equal rows may decide each distinct one once."""
    return _indicator_lamp(_rule(item, rules), item, month, rules.monitoring)


def month_bound(item: IndicatorProgress, rules: RuleSet) -> bool:
    """Whether `bare_indicator_lamp` of `item` depends on the month: only the 序时 (pace) rule
    does, so a year's rounds may decide every other row once."""
    return _rule(item, rules) is _Rule.PACE


def lit_project_lamp(
    month: int, budget: Decimal, spent: Decimal, indicators: Iterable[Lamp | None], rules: RuleSet
) -> Lamp | None:
    """The project lamp from its money and its indicators' lamps (`bare_indicator_lamp`);
    `indicators` may be lazy: after a red lamp none is read."""
    rate = execution_rate(budget, spent)
    return worst_lamp(chain((_budget_lamp(rate, month, rules.monitoring),), indicators))


def missing_reasons(entry: RoundEntry, lamps: RoundLamps) -> list[Problem]:
    """Blocking problems for every red or yellow lamp without 偏差原因 (category and text)."""
    problems = []
    if lamp := _needing_reason(lamps.budget.lamp):
        subject = f"预算执行为{lamp.label}"
        category, reason = entry.budget_deviation_category, entry.budget_deviation_reason
        problems += _reason_problems(subject, category, reason, row=None)
    pairs = zip(entry.indicators, lamps.indicators, strict=True)
    for position, (item, result) in enumerate(pairs, start=1):
        if lamp := _needing_reason(result.lamp):
            row = item.row if item.row is not None else position
            subject = f"指标“{item.name}”为{lamp.label}"
            problems += _reason_problems(
                subject, item.deviation_category, item.deviation_reason, row
            )
    return problems


def _needing_reason(lamp: Lamp | None) -> Lamp | None:
    return lamp if lamp in _NEEDS_REASON else None


def _reason_problems(
    subject: str, category: DeviationCategory | None, reason: str, row: int | None
) -> list[Problem]:
    problems = []
    if category is None:
        problems.append(Problem(f"{subject}，须选择偏差原因类别", row=row, column="偏差原因类别"))
    if not reason.strip():
        problems.append(Problem(f"{subject}，须填写偏差原因说明", row=row, column="偏差原因"))
    return problems
