"""The rule set: every threshold, weight and band of the domain, loaded from a TOML file.

Provinces and counties differ, so nothing here is a literal in the scoring code: the
defaults live in resources/rules/default.toml and a bureau edits a copy of that file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from app.domain.enums import Grade, QualitativeBand
from app.domain.errors import Problem, ValidationFailed
from app.domain.money import YUAN_PER_WAN

_T = TypeVar("_T")


@dataclass(frozen=True)
class Level1:
    name: str
    points: Decimal
    level2: tuple[str, ...]


@dataclass(frozen=True)
class ExecutionCap:
    below: Decimal
    max_total: Decimal


@dataclass(frozen=True)
class GoalRules:
    execution_points: Decimal
    total_points: Decimal
    level1: tuple[Level1, ...]
    quantity_class: str
    cost_classes: tuple[str, ...]
    within_target_classes: tuple[str, ...]
    # 分配分值 gives each row a multiple of this: 0.01 (exact shares), 0.5 or 1 (half or
    # whole points, as some counties require). Optional in a rule file.
    points_step: Decimal = Decimal("0.01")

    @property
    def indicator_points(self) -> Decimal:
        return self.total_points - self.execution_points

    def level1_of(self, level2: str) -> str | None:
        return next((l1.name for l1 in self.level1 if level2 in l1.level2), None)


@dataclass(frozen=True)
class ScoringRules:
    over_completion_ratio: Decimal
    over_completion_mode: str
    over_completion_deduction: Decimal
    execution_caps: tuple[ExecutionCap, ...]
    qualitative: dict[QualitativeBand, tuple[Decimal, Decimal]]
    # Words a department writes for "achieved" in a qualitative actual (完成, 达到, 是…);
    # optional in a rule file: without them only the target's own words count.
    qualitative_achieved: tuple[str, ...] = ()
    # How tables round scores (optional; the national default keeps 2 decimals):
    # "none" (2 decimals), "one_decimal" or "whole", for each indicator, execution and total.
    rounding: str = "none"
    # Reverse (≤ <) indicators short of target: "deviation" = (1 − (actual − target)/target)
    # × points (national default), or "ratio" = target/actual × points.
    reverse_formula: str = "deviation"


@dataclass(frozen=True)
class MonitoringRules:
    months: tuple[int, ...]
    budget_rule: str
    budget_ratio_red: Decimal
    budget_ratio_yellow: Decimal
    budget_gap_points: Decimal
    indicator_red: Decimal
    indicator_yellow: Decimal
    indicator_blue: Decimal
    city_flags: bool
    september_floor: Decimal
    november_floor: Decimal
    # Units of rates and levels (95%, 10年): judged against the full annual target in every
    # round, never against target × month/12 (see app.domain.lamps).
    non_cumulative_units: tuple[str, ...]


@dataclass(frozen=True)
class SamplingRules:
    ratio: Decimal
    min_per_section: int
    inflated_points: Decimal
    inflated_on_grade_change: bool
    must_include_amount_yuan: Decimal
    must_include_last_grades: tuple[Grade, ...]
    must_include_full_score_unspent: bool
    must_include_red_at_month: int


@dataclass(frozen=True)
class PreAssessmentRules:
    new_threshold_yuan: Decimal
    growth_ratio: Decimal
    growth_amount_yuan: Decimal
    max_years: int


@dataclass(frozen=True)
class HistoryRules:
    """Bands of the history checks (targets set too easy); see app.domain.history_checks."""

    years: int  # how many past years the typical values and the library come from
    min_projects: int  # a typical value needs at least this many projects
    low_ratio: Decimal  # a target below median × low_ratio is far below the typical
    high_cost_ratio: Decimal  # a cost above median × high_cost_ratio is far above it
    steady_years: int  # met every year for this many years with an unchanged target
    comparable_units: tuple[str, ...]  # units whose targets compare across projects


@dataclass(frozen=True)
class RuleSet:
    name: str
    goals: GoalRules
    scoring: ScoringRules
    grade_floors: tuple[tuple[Grade, Decimal], ...]  # highest floor first
    monitoring: MonitoringRules
    sampling: SamplingRules
    pre_assessment: PreAssessmentRules
    cut_ratios: dict[Grade, Decimal]
    # None when the rule file has no [history] section (files written before it existed):
    # the history checks are then off rather than run with bands nobody chose.
    history: HistoryRules | None = None

    def grade_for(self, total: Decimal) -> Grade:
        for grade, floor in self.grade_floors:
            if total >= floor:
                return grade
        return self.grade_floors[-1][0]


class _Reader:
    """Reads typed values out of the parsed TOML, collecting every problem by key path."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(f"{key}：{message}"))

    def get(self, key: str, check: Callable[[Any], bool], expected: str, default: _T) -> _T:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                self.fail(key, "缺少此项")
                return default
            node = node[part]
        if not check(node):
            self.fail(key, f"应为{expected}，实际为“{node}”")
            return default
        return cast(_T, node)  # `check` vouched for its type

    def number(self, key: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
        value = self.get(key, _is_number, "数字", Decimal(0))
        value = Decimal(str(value))
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(key, f"应在 {low} 到 {high} 之间，实际为 {value}")
        return value

    def ratio(self, key: str) -> Decimal:
        return self.number(key, Decimal(0), Decimal(10))

    def integer(self, key: str, low: int = 0, high: int = 10**6) -> int:
        value = self.get(key, lambda v: isinstance(v, int) and not isinstance(v, bool), "整数", 0)
        if not low <= value <= high:
            self.fail(key, f"应在 {low} 到 {high} 之间，实际为 {value}")
        return value

    def text(self, key: str, choices: tuple[str, ...] = ()) -> str:
        value = self.get(key, lambda v: isinstance(v, str) and v.strip() != "", "文字", "")
        if choices and value not in choices:
            self.fail(key, f"只能是 {' / '.join(choices)}，实际为“{value}”")
        return value

    def flag(self, key: str) -> bool:
        return self.get(key, lambda v: isinstance(v, bool), "true 或 false", False)

    def strings(self, key: str) -> tuple[str, ...]:
        value: list[str] = self.get(key, _is_string_list, "文字列表", [])
        return tuple(value)


POINTS_STEPS = (Decimal("0.01"), Decimal("0.5"), Decimal(1))


def _points_step(r: _Reader, level1: list[Level1]) -> Decimal:
    """goals.points_step: one of POINTS_STEPS, dividing every 一级's points; 0.01 if absent."""
    goals = r.data.get("goals")
    if not isinstance(goals, dict) or "points_step" not in goals:
        return POINTS_STEPS[0]
    step = r.number("goals.points_step")
    if step not in POINTS_STEPS:
        r.fail("goals.points_step", f"只能是 0.01、0.5 或 1，实际为 {step}")
        return POINTS_STEPS[0]
    for l1 in level1:
        if l1.points % step:
            r.fail("goals.points_step", f"一级指标“{l1.name}”的分值 {l1.points} 不能按 {step} 分配")
    return step


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _read_goals(r: _Reader) -> GoalRules:
    level1 = []
    raw: list[Any] = r.get("goals.level1", lambda v: isinstance(v, list) and len(v) > 0, "列表", [])
    for i, item in enumerate(raw, start=1):
        sub = _Reader(item if isinstance(item, dict) else {}, r.source)
        l1 = Level1(sub.text("name"), sub.number("points", Decimal(0)), sub.strings("level2"))
        r.problems += [Problem(f"goals.level1 第{i}项 {p.message}") for p in sub.problems]
        level1.append(l1)
    rules = GoalRules(
        execution_points=r.number("goals.execution_points", Decimal(0), Decimal(100)),
        total_points=r.number("goals.total_points", Decimal(1)),
        level1=tuple(level1),
        quantity_class=r.text("goals.classes.quantity"),
        cost_classes=r.strings("goals.classes.cost"),
        within_target_classes=r.strings("goals.classes.within_target"),
        points_step=_points_step(r, level1),
    )
    spread = sum((l1.points for l1 in rules.level1), Decimal(0))
    if level1 and spread != rules.indicator_points:
        r.fail(
            "goals.level1",
            f"一级指标分值合计 {spread} 应等于总分减执行率分值 {rules.indicator_points}",
        )
    known = {name for l1 in rules.level1 for name in l1.level2}
    for name in (rules.quantity_class, *rules.cost_classes, *rules.within_target_classes):
        if level1 and name and name not in known:
            r.fail("goals.classes", f"“{name}”不是任何一级指标下的二级指标")
    return rules


def _read_scoring(r: _Reader) -> ScoringRules:
    caps_raw: list[Any] = r.get("scoring.execution_caps", lambda v: isinstance(v, list), "列表", [])
    caps = []
    for item in caps_raw:
        sub = _Reader(item if isinstance(item, dict) else {}, r.source)
        caps.append(ExecutionCap(sub.ratio("below"), sub.number("max_total", Decimal(0))))
        r.problems += [Problem(f"scoring.execution_caps {p.message}") for p in sub.problems]
    bands = {}
    for band in QualitativeBand:
        value = r.get(f"scoring.qualitative.{band.value}", _is_pair, "两个 0-1 之间的数", [0, 0])
        low, high = (Decimal(str(v)) for v in value)
        if not Decimal(0) <= low <= high <= Decimal(1):
            r.fail(f"scoring.qualitative.{band.value}", "区间应满足 0 ≤ 下限 ≤ 上限 ≤ 1")
        bands[band] = (low, high)
    return ScoringRules(
        over_completion_ratio=r.number("scoring.over_completion_ratio", Decimal(1)),
        over_completion_mode=r.text("scoring.over_completion_mode", ("reason", "deduct")),
        over_completion_deduction=r.number(
            "scoring.over_completion_deduction", Decimal(0), Decimal(1)
        ),
        execution_caps=tuple(sorted(caps, key=lambda c: c.below)),
        qualitative=bands,
        qualitative_achieved=_optional(r, "scoring.qualitative_achieved", r.strings, ()),
        rounding=_optional(r, "scoring.rounding", _choice(r, ROUNDINGS), "none"),
        reverse_formula=_optional(
            r, "scoring.reverse_formula", _choice(r, REVERSE_FORMULAS), "deviation"
        ),
    )


ROUNDINGS = ("none", "one_decimal", "whole")
REVERSE_FORMULAS = ("deviation", "ratio")


def _choice(r: _Reader, choices: tuple[str, ...]) -> Callable[[str], str]:
    return lambda key: r.text(key, choices)


def _optional(r: _Reader, key: str, read: Callable[[str], Any], default: Any) -> Any:
    """A [scoring] key added after rule files were in use: absent means the old behaviour."""
    scoring = r.data.get("scoring")
    if not isinstance(scoring, dict) or key.rsplit(".", 1)[1] not in scoring:
        return default
    return read(key)


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)


def _read_grades(r: _Reader) -> tuple[tuple[Grade, Decimal], ...]:
    problems_before = len(r.problems)
    floors = tuple((g, r.number(f"grades.{g.value}", Decimal(0), Decimal(100))) for g in Grade)
    values = [floor for _, floor in floors]
    complete = len(r.problems) == problems_before
    if complete and (values != sorted(values, reverse=True) or len(set(values)) != len(values)):
        r.fail("grades", "等级下限应按 优 > 良 > 中 > 差 递减")
    return floors


def _read_monitoring(r: _Reader) -> MonitoringRules:
    months = r.get("monitoring.months", _is_month_list, "1-12 的月份列表", [3, 6, 9, 10, 11, 12])
    rules = MonitoringRules(
        months=tuple(sorted(set(months))),
        budget_rule=r.text("monitoring.budget_rule", ("ratio", "gap")),
        budget_ratio_red=r.ratio("monitoring.budget_ratio_red"),
        budget_ratio_yellow=r.ratio("monitoring.budget_ratio_yellow"),
        budget_gap_points=r.number("monitoring.budget_gap_points", Decimal(0), Decimal(100)),
        indicator_red=r.ratio("monitoring.indicator_red"),
        indicator_yellow=r.ratio("monitoring.indicator_yellow"),
        indicator_blue=r.ratio("monitoring.indicator_blue"),
        city_flags=r.flag("monitoring.city_flags"),
        september_floor=r.ratio("monitoring.september_floor"),
        november_floor=r.ratio("monitoring.november_floor"),
        non_cumulative_units=_units(r, "monitoring.non_cumulative_units"),
    )
    if not rules.budget_ratio_red <= rules.budget_ratio_yellow:
        r.fail("monitoring.budget_ratio_red", "红灯界限不应高于黄灯界限")
    if not rules.indicator_red <= rules.indicator_yellow <= rules.indicator_blue:
        r.fail("monitoring.indicator_red", "应满足 红灯界限 ≤ 黄灯界限 ≤ 蓝灯界限")
    return rules


def _units(r: _Reader, key: str) -> tuple[str, ...]:
    units = tuple(unit.strip() for unit in r.strings(key))
    if any(not unit for unit in units):
        r.fail(key, "计量单位不能为空字符串")
    return tuple(dict.fromkeys(unit for unit in units if unit))


def _is_month_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(m, int) and 1 <= m <= 12 for m in value)
    )


def _read_sampling(r: _Reader) -> SamplingRules:
    grades = r.strings("sampling.must_include_last_grades")
    valid = {g.value for g in Grade}
    for g in grades:
        if g not in valid:
            r.fail("sampling.must_include_last_grades", f"“{g}”不是等级（优/良/中/差）")
    return SamplingRules(
        ratio=r.number("sampling.ratio", Decimal("0.01"), Decimal(1)),
        min_per_section=r.integer("sampling.min_per_section", 0, 1000),
        inflated_points=r.number("sampling.inflated_points", Decimal(0), Decimal(100)),
        inflated_on_grade_change=r.flag("sampling.inflated_on_grade_change"),
        must_include_amount_yuan=r.number("sampling.must_include_amount_wan", Decimal(0))
        * YUAN_PER_WAN,
        must_include_last_grades=tuple(Grade(g) for g in grades if g in valid),
        must_include_full_score_unspent=r.flag("sampling.must_include_full_score_unspent"),
        must_include_red_at_month=r.integer("sampling.must_include_red_at_month", 0, 12),
    )


def _read_pre_assessment(r: _Reader) -> PreAssessmentRules:
    return PreAssessmentRules(
        new_threshold_yuan=r.number("pre_assessment.new_threshold_wan", Decimal(0)) * YUAN_PER_WAN,
        growth_ratio=r.ratio("pre_assessment.growth_ratio"),
        growth_amount_yuan=r.number("pre_assessment.growth_amount_wan", Decimal(0)) * YUAN_PER_WAN,
        max_years=r.integer("pre_assessment.max_years", 1, 100),
    )


def _read_history(r: _Reader) -> HistoryRules | None:
    if "history" not in r.data:
        return None
    rules = HistoryRules(
        years=r.integer("history.years", 1, 20),
        min_projects=r.integer("history.min_projects", 1, 10000),
        low_ratio=r.number("history.low_ratio", Decimal(0), Decimal(1)),
        high_cost_ratio=r.number("history.high_cost_ratio", Decimal(1), Decimal(100)),
        steady_years=r.integer("history.steady_years", 2, 20),
        comparable_units=_units(r, "history.comparable_units"),
    )
    return rules


def rule_set_from_dict(data: dict[str, Any], source: str = "规则集") -> RuleSet:
    """Validate parsed rule data; raises ValidationFailed listing every problem."""
    r = _Reader(data, source)
    rules = RuleSet(
        name=r.text("name"),
        goals=_read_goals(r),
        scoring=_read_scoring(r),
        grade_floors=_read_grades(r),
        monitoring=_read_monitoring(r),
        sampling=_read_sampling(r),
        pre_assessment=_read_pre_assessment(r),
        cut_ratios={g: r.number(f"results.{g.value}", Decimal(0), Decimal(1)) for g in Grade},
        history=_read_history(r),
    )
    if r.problems:
        raise ValidationFailed(r.problems, f"规则集“{source}”有 {len(r.problems)} 处错误：")
    return rules


def load_rule_set(path: Path) -> RuleSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as exc:
        raise ValidationFailed([Problem(f"无法读取规则集文件“{path}”：{exc.strerror}")]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed([Problem(f"规则集文件“{path}”格式错误：{exc}")]) from exc
    return rule_set_from_dict(data, path.name)
