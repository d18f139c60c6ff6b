"""Checks of a performance goal (绩效目标) before it can be approved (docs/domain.md §3).

`check_goal` returns every problem at once: blocking ones stop approval, the others are
review findings the bureau looks for. A problem about one indicator carries that
indicator's 1-based row in the goal's grid (or the row the reader recorded) and the
column at fault; goal-wide problems have no row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.enums import Comparator, Scope
from app.domain.errors import Problem
from app.domain.goal_money import CostRow, money_findings
from app.domain.indicator_values import (
    format_target,
    normalize_level_label,
    normalize_name,
)
from app.domain.money import YUAN_PER_WAN, round2
from app.domain.numbers import plain
from app.domain.rules import GoalRules, RuleSet

# Column names used in problems; they match the headings of the goal form.
COL_LEVEL1 = "一级指标"
COL_LEVEL2 = "二级指标"
COL_NAME = "三级指标"
COL_NATURE = "指标性质"
COL_TARGET = "指标值"
COL_UNIT = "计量单位"
COL_POINTS = "分值"
COL_OVERALL = "年度总体目标"
COL_TOTAL = "资金总额"
COL_FISCAL = "财政拨款"
COL_OTHER = "其他资金"

# Heuristics for review findings. Kept here, not in the rule set: they are wording
# patterns, not thresholds a county negotiates.
BOILERPLATE_PHRASES = ("明显", "显著", "有效提升", "进一步", "大幅", "不断", "逐步", "改善")
PAYMENT_PHRASES = ("拨付率", "执行率", "支付进度", "拨付进度", "支出进度", "执行进度")

_PUNCTUATION = re.compile(r"[\s，。、；：！？,.;:!?“”\"'‘’（）()【】\[\]《》]")


@dataclass(frozen=True)
class IndicatorDraft:
    """One row of a goal's indicator grid, as entered (names may still be untidy).

    `row` overrides the reported row number (e.g. the sheet row of an import); when None
    the 1-based position in the goal is used.
    """

    level1: str
    level2: str
    name: str
    comparator: Comparator | None
    target: Decimal | None
    target_text: str = ""
    unit: str = ""
    points: Decimal | None = None
    explanation: str = ""
    row: int | None = None


@dataclass(frozen=True)
class GoalDraft:
    """A project or department goal. Amounts are Decimal 元; None means the cell was empty.

    `execution_points` is the 预算执行率 points shown on the form; None uses the rule set's.
    """

    scope: Scope
    overall_target: str
    total_amount: Decimal | None
    fiscal_amount: Decimal | None
    other_amount: Decimal | None
    indicators: tuple[IndicatorDraft, ...]
    execution_points: Decimal | None = None
    department_code: str = ""
    project_code: str = ""


def normalize_goal_text(text: str) -> str:
    """The key used to spot copied goal texts: no spaces, no punctuation."""
    return _PUNCTUATION.sub("", normalize_name(text))


def goal_text_index(
    goals: Sequence[tuple[str, str, str]],
) -> dict[str, list[tuple[str, str]]]:
    """Build the copy-check mapping from (department_code, project_code, overall_target)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for department, project, text in goals:
        key = normalize_goal_text(text)
        if key:
            index.setdefault(key, []).append((department, project))
    return index


def check_goal(
    goal: GoalDraft,
    rules: RuleSet,
    other_goal_texts: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[Problem]:
    """Every problem of a goal, blocking ones first within each group of checks."""
    rows = [
        _Row(i, ind) for i, ind in enumerate(goal.indicators, start=1) if not is_placeholder(ind)
    ]
    problems = _check_amounts(goal)
    problems += _check_overall_target(goal, other_goal_texts or {})
    problems += _check_layout(rows, rules.goals)
    problems += _check_presence(rows, rules.goals)
    for row in rows:
        problems += _check_indicator(row, rules.goals)
    problems += _check_points(goal, rows, rules.goals)
    problems += _check_duplicates(rows)
    problems += _check_money(goal, rows, rules.goals)
    return problems


def is_placeholder(indicator: IndicatorDraft) -> bool:
    """A row kept only to show an unused 二级 class: no name, target or points. Skipped."""
    return (
        not normalize_name(indicator.name)
        and indicator.target is None
        and not indicator.target_text.strip()
        and indicator.points is None
    )


def has_blocking(problems: Sequence[Problem]) -> bool:
    return any(p.blocking for p in problems)


@dataclass(frozen=True)
class _Row:
    """An indicator with its tidy names and the row number to report. The names are tidied
    once: the checks read them a dozen times per indicator (an import has 25,000)."""

    position: int
    draft: IndicatorDraft
    level1: str = field(init=False)
    level2: str = field(init=False)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "level1", normalize_level_label(self.draft.level1))
        set_(self, "level2", normalize_level_label(self.draft.level2))
        set_(self, "name", normalize_name(self.draft.name))

    @property
    def number(self) -> int:
        return self.draft.row if self.draft.row is not None else self.position

    def problem(self, column: str, message: str, blocking: bool = True) -> Problem:
        return Problem(message, row=self.number, column=column, blocking=blocking)


# --- amounts and goal text ---------------------------------------------------------------


def _check_amounts(goal: GoalDraft) -> list[Problem]:
    """Total is required. A blank 财政拨款 or 其他资金 counts as 0 when the other is given,
    because forms leave the unused one empty; both blank means the split is missing."""
    problems = []
    for column, amount in (
        (COL_TOTAL, goal.total_amount),
        (COL_FISCAL, goal.fiscal_amount),
        (COL_OTHER, goal.other_amount),
    ):
        if amount is not None and amount < 0:
            problems.append(Problem(f"{column}不能为负数", column=column))
    if goal.total_amount is None:
        problems.append(Problem("资金总额未填写", column=COL_TOTAL))
        return problems
    if goal.fiscal_amount is None and goal.other_amount is None:
        problems.append(Problem("未填写财政拨款和其他资金", column=COL_FISCAL))
        return problems
    parts = (goal.fiscal_amount or Decimal(0)) + (goal.other_amount or Decimal(0))
    if parts != goal.total_amount:
        problems.append(
            Problem(
                f"财政拨款与其他资金合计 {_wan(parts)} 万元，不等于资金总额 "
                f"{_wan(goal.total_amount)} 万元",
                column=COL_TOTAL,
            )
        )
    return problems


def _wan(yuan: Decimal) -> str:
    """万元 as forms show them; every decimal when 2 would hide the difference."""
    value = yuan / YUAN_PER_WAN
    return f"{value:,.2f}" if value == round2(value) else f"{value:,f}".rstrip("0")


def _check_overall_target(
    goal: GoalDraft, others: Mapping[str, Sequence[tuple[str, str]]]
) -> list[Problem]:
    key = normalize_goal_text(goal.overall_target)
    if not key:
        return [Problem("年度总体目标未填写", column=COL_OVERALL)]
    copies = [
        f"{dept}/{code}" for dept, code in others.get(key, ()) if dept != goal.department_code
    ]
    if not copies:
        return []
    listed = "、".join(copies[:5]) + ("等" if len(copies) > 5 else "")
    message = f"年度总体目标与其他单位项目（{listed}）完全相同，疑似照抄"
    return [Problem(message, column=COL_OVERALL, blocking=False)]


# --- layout and presence -----------------------------------------------------------------


def _check_layout(rows: Sequence[_Row], rules: GoalRules) -> list[Problem]:
    problems = []
    layout = {l1.name: l1.level2 for l1 in rules.level1}
    for row in rows:
        if row.level1 not in layout:
            problems.append(
                row.problem(COL_LEVEL1, f"一级指标“{row.level1}”不在规则集的指标体系中")
            )
        elif row.level2 not in layout[row.level1]:
            problems.append(
                row.problem(COL_LEVEL2, f"二级指标“{row.level2}”不属于一级指标“{row.level1}”")
            )
    return problems


def _check_presence(rows: Sequence[_Row], rules: GoalRules) -> list[Problem]:
    problems = []
    used = {(row.level1, row.level2) for row in rows}
    for l1 in rules.level1:
        if not any(level1 == l1.name for level1, _ in used):
            problems.append(Problem(f"{l1.name}下没有任何指标", column=COL_LEVEL1))
        elif rules.quantity_class in l1.level2 and (l1.name, rules.quantity_class) not in used:
            problems.append(
                Problem(f"{l1.name}下至少应有一个{rules.quantity_class}", column=COL_LEVEL2)
            )
    return problems


# --- one indicator -----------------------------------------------------------------------


def _check_indicator(row: _Row, rules: GoalRules) -> list[Problem]:
    draft = row.draft
    problems = []
    if not row.name:
        problems.append(row.problem(COL_NAME, "三级指标名称为空"))
    if draft.points is None:
        problems.append(row.problem(COL_POINTS, "分值未填写"))
    elif draft.points < 0:
        problems.append(row.problem(COL_POINTS, "分值不能为负数"))
    problems += _check_target(row)
    problems += _check_class_fit(row, rules)
    return problems


def _check_target(row: _Row) -> list[Problem]:
    draft = row.draft
    if draft.comparator is None:
        return [row.problem(COL_NATURE, "指标性质未填写（应为 ≥、>、=、≤、< 或 定性）")]
    if draft.comparator is Comparator.QUALITATIVE:
        if draft.target_text.strip():
            return []
        return [row.problem(COL_TARGET, "定性指标未写明指标值", blocking=False)]
    problems = []
    if draft.target is None:
        problems.append(row.problem(COL_TARGET, "定量指标缺少数值指标值"))
    if not normalize_name(draft.unit):
        problems.append(row.problem(COL_UNIT, "定量指标缺少计量单位"))
    return problems


def _check_class_fit(row: _Row, rules: GoalRules) -> list[Problem]:
    """Review findings about an indicator filed in the wrong form or class."""
    draft = row.draft
    problems = []
    if row.level2 in rules.cost_classes and draft.comparator in (Comparator.GE, Comparator.GT):
        problems.append(
            row.problem(COL_NATURE, "成本指标应使用“≤”或“=”，不宜使用“≥”或“>”", blocking=False)
        )
    if row.level2 == rules.quantity_class and any(p in row.name for p in PAYMENT_PHRASES):
        problems.append(
            row.problem(
                COL_LEVEL2,
                f"“{row.name}”是资金支付或执行类指标，不应作为{rules.quantity_class}"
                "（预算执行率已单独计分）",
                blocking=False,
            )
        )
    if _is_boilerplate(row):
        shown = format_target(draft.comparator, draft.target, draft.unit, draft.target_text)
        problems.append(
            row.problem(
                COL_NAME,
                f"“{row.name}”{shown}是笼统表述，仅形式上定量，应改为可衡量的具体指标",
                blocking=False,
            )
        )
    return problems


def _is_boilerplate(row: _Row) -> bool:
    """A vague benefit phrase (效益明显, 显著提升...) dressed up as a percentage."""
    draft = row.draft
    if "效益" not in row.level1 and "效益" not in row.level2:
        return False
    if draft.comparator is None or not draft.comparator.is_quantitative:
        return False
    if normalize_name(draft.unit) != "%":
        return False
    wording = row.name + normalize_name(draft.target_text)
    return any(phrase in wording for phrase in BOILERPLATE_PHRASES)


# --- points ------------------------------------------------------------------------------


def _check_points(goal: GoalDraft, rows: Sequence[_Row], rules: GoalRules) -> list[Problem]:
    if any(row.draft.points is None for row in rows):
        return []  # already reported per row; a sum would be misleading
    execution = rules.execution_points if goal.execution_points is None else goal.execution_points
    indicator_sum = sum((row.draft.points or Decimal(0) for row in rows), Decimal(0))
    problems = []
    if indicator_sum + execution != rules.total_points:
        problems.append(
            Problem(
                f"指标分值合计 {plain(indicator_sum)} 加预算执行率分值 "
                f"{plain(execution)} 为 {plain(indicator_sum + execution)}，"
                f"应为 {plain(rules.total_points)}",
                column=COL_POINTS,
            )
        )
    problems += _check_split(rows, rules)
    return problems


def _check_split(rows: Sequence[_Row], rules: GoalRules) -> list[Problem]:
    """The default 一级 split is a principle, not a rule: a different one only warns."""
    actual = {l1.name: Decimal(0) for l1 in rules.level1}
    for row in rows:
        if row.level1 in actual:
            actual[row.level1] += row.draft.points or Decimal(0)
    if all(actual[l1.name] == l1.points for l1 in rules.level1):
        return []
    got = "、".join(f"{name} {plain(points)}" for name, points in actual.items())
    default = "/".join(plain(l1.points) for l1 in rules.level1)
    message = f"一级指标分值为 {got}，与默认分配 {default} 不同"
    return [Problem(message, column=COL_POINTS, blocking=False)]


def _check_duplicates(rows: Sequence[_Row]) -> list[Problem]:
    """The same indicator counted under two 一级 (e.g. 产出 and 效益)."""
    first_seen: dict[str, _Row] = {}
    problems = []
    for row in rows:
        if not row.name:
            continue
        earlier = first_seen.setdefault(row.name, row)
        if earlier is not row and earlier.level1 != row.level1:
            problems.append(
                row.problem(
                    COL_NAME,
                    f"“{row.name}”同时出现在{earlier.level1}（第{earlier.number}行）和"
                    f"{row.level1}下，属重复设置",
                    blocking=False,
                )
            )
    return problems


def _check_money(goal: GoalDraft, rows: Sequence[_Row], rules: GoalRules) -> list[Problem]:
    """Cost indicators against 资金总额 (app.domain.goal_money)."""
    quantitative = [
        CostRow(row.number, row.level2, row.name, d.comparator.value, d.target, d.unit)
        for row in rows
        if (d := row.draft).comparator is not None
        and d.comparator.is_quantitative
        and d.target is not None
    ]
    return money_findings(goal.total_amount, quantitative, rules.cost_classes, rules.quantity_class)
