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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

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
    _check_month(month)
    if rate is None:
        return LampResult(None, "调整后预算为 0，无法计算执行率，未亮灯")
    if rules.budget_rule == "gap":
        return _gap_lamp(rate, month, rules)
    return _ratio_lamp(rate, month, rules)


def _ratio_lamp(rate: Decimal, month: int, rules: MonitoringRules) -> LampResult:
    scaled = rate * MONTHS  # v < band  ⟺  rate × 12 < band × month
    if scaled < rules.budget_ratio_red * month:
        lamp = Lamp.RED
    elif scaled < rules.budget_ratio_yellow * month:
        lamp = Lamp.YELLOW
    else:
        lamp = Lamp.GREEN
    v = scaled / month
    text = (
        f"执行率 {format_percent(rate)} ÷ 序时进度 {format_percent(time_progress(month))} "
        f"= {format_percent(v)}，{lamp.label}"
    )
    return LampResult(lamp, text)


def _gap_lamp(rate: Decimal, month: int, rules: MonitoringRules) -> LampResult:
    # gap (pp) > N  ⟺  (month/12 − rate) × 100 > N  ⟺  month × 100 − rate × 1200 > N × 12
    behind = Decimal(month) * 100 - rate * MONTHS * 100
    lamp = Lamp.RED if behind > rules.budget_gap_points * MONTHS else Lamp.GREEN
    limit = plain(rules.budget_gap_points)
    gap = format_percent(behind / MONTHS / 100).removesuffix("%")
    relation = "超过" if lamp is Lamp.RED else "未超过"
    text = (
        f"执行率 {format_percent(rate)}，序时进度 {format_percent(time_progress(month))}，"
        f"落后 {gap} 个百分点，{relation} {limit} 个百分点，{lamp.label}"
    )
    return LampResult(lamp, text)


def indicator_lamp(item: IndicatorProgress, month: int, rules: RuleSet) -> LampResult:
    """The lamp of one indicator (see module notes for which rule applies)."""
    _check_month(month)
    if item.comparator is Comparator.QUALITATIVE:
        return _qualitative_lamp(item)
    if item.annual_target is None or item.current_value is None:
        return LampResult(None, "缺少年度指标值或当前完成值，未亮灯")
    within = item.comparator.is_reverse or item.level2 in rules.goals.within_target_classes
    if within or item.annual_target <= 0:
        return _within_target_lamp(item)
    if item.unit.strip() in rules.monitoring.non_cumulative_units:
        return _level_lamp(item, rules.monitoring)
    return _pace_lamp(item, month, rules.monitoring)


def _qualitative_lamp(item: IndicatorProgress) -> LampResult:
    if item.qualitative_progress is None:
        return LampResult(None, "定性指标未填报完成情况，未亮灯")
    lamp = _QUALITATIVE_LAMPS[item.qualitative_progress]
    return LampResult(lamp, f"定性指标完成情况：{item.qualitative_progress}，{lamp.label}")


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


def _within_target_lamp(item: IndicatorProgress) -> LampResult:
    assert item.annual_target is not None and item.current_value is not None
    met = _meets(item.comparator, item.current_value, item.annual_target)
    lamp = Lamp.GREEN if met else Lamp.RED
    target = format_target(item.comparator, item.annual_target, item.unit)
    current = f"{plain(item.current_value)}{item.unit}"
    verdict = "在目标范围内" if met else "未达到目标"
    return LampResult(lamp, f"当前完成值 {current}，目标 {target}，{verdict}，{lamp.label}")


def _pace_lamp(item: IndicatorProgress, month: int, rules: MonitoringRules) -> LampResult:
    assert item.annual_target is not None and item.current_value is not None
    target, current = item.annual_target, item.current_value
    # current ÷ (target × month/12) < band  ⟺  current × 12 < band × target × month
    scaled, due = current * MONTHS, target * month
    lamp = _progress_band(scaled, due, rules)
    text = (
        f"当前完成值 {plain(current)}{item.unit} ÷（年度指标值 "
        f"{plain(target)}{item.unit} × {month}/12）= {format_percent(scaled / due)}，"
        f"{lamp.label}"
    )
    return LampResult(lamp, text)


def _level_lamp(item: IndicatorProgress, rules: MonitoringRules) -> LampResult:
    assert item.annual_target is not None and item.current_value is not None
    target, current = item.annual_target, item.current_value
    lamp = _progress_band(current, target, rules)
    text = (
        f"当前完成值 {plain(current)}{item.unit} ÷ 年度指标值 {plain(target)}{item.unit} "
        f"= {format_percent(current / target)}（比率类指标，不按序时折算），{lamp.label}"
    )
    return LampResult(lamp, text)


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
    """The most severe lamp (red > yellow > blue > green); None if none is lit."""
    lit = [lamp for lamp in lamps if lamp is not None]
    return max(lit, key=_SEVERITY.__getitem__) if lit else None


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
