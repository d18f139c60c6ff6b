"""财政重点评价 (docs/domain.md §11): the framework of items, its checks, the score and grade.

Decisions:
- The framework's 一级 are 决策 / 过程 / 产出 / 效益 (the national reference framework). The
  shipped template (resources/key_evaluation/framework.toml) is copied into each evaluation,
  which may then change weights and 三级 items; the copy is what is scored.
- A framework is valid when it has items, every item has a positive weight, the weights add
  up to 100, and 产出 + 效益 weigh at least 60 (the national principle).
- An item's score lies between 0 and its weight. The total is the sum of the scored items;
  an evaluation is complete when every item is scored, and only then has a grade.
- The grade uses the rule set's bands, the same as self-evaluation (优 ≥ 90 …).
- A 中/差 key evaluation proposes the same cut as a self-evaluation grade (rule set
  ``cut_ratios``); it outranks the review and self grades of its project (the bureau's own
  evaluation is the strongest evidence).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app.domain.enums import Grade
from app.domain.errors import Problem, ValidationFailed
from app.domain.money import round2
from app.domain.rules import RuleSet

LEVEL1 = ("决策", "过程", "产出", "效益")
OUTCOME_LEVEL1 = ("产出", "效益")
TOTAL = Decimal(100)
OUTCOME_FLOOR = Decimal(60)
ZERO = Decimal(0)


class ObjectKind(StrEnum):
    DEPARTMENT = "部门整体"
    POLICY = "政策"
    PROJECT = "项目"


@dataclass(frozen=True)
class FrameworkItem:
    level1: str
    level2: str
    name: str
    points: Decimal
    guidance: str = ""


@dataclass(frozen=True)
class ScoredItem:
    item: FrameworkItem
    score: Decimal | None
    evidence: str = ""


@dataclass(frozen=True)
class Outcome:
    """The evaluation's figures: totals by 一级, the total, and the grade once complete."""

    points_by_level1: dict[str, Decimal]
    score_by_level1: dict[str, Decimal]
    total: Decimal
    scored: int
    items: int
    grade: Grade | None

    @property
    def complete(self) -> bool:
        return self.items > 0 and self.scored == self.items


def parse_framework(text: str, source: str = "评价指标体系模板") -> tuple[FrameworkItem, ...]:
    """The template file's items; ValidationFailed naming every bad item."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed([Problem(f"{source}格式不对：{exc}")]) from exc
    items, problems = [], []
    for n, raw in enumerate(data.get("item", []), 1):
        try:
            points = Decimal(str(raw.get("points", "")))
        except InvalidOperation:
            problems.append(Problem(f"{source}第{n}项的分值“{raw.get('points')}”不是数字"))
            continue
        items.append(
            FrameworkItem(
                str(raw.get("level1", "")).strip(),
                str(raw.get("level2", "")).strip(),
                str(raw.get("name", "")).strip(),
                points,
                str(raw.get("guidance", "")).strip(),
            )
        )
    problems += framework_problems(items)
    if problems:
        raise ValidationFailed(problems, f"{source}有 {len(problems)} 个问题：")
    return tuple(items)


def framework_problems(items: Sequence[FrameworkItem]) -> list[Problem]:
    """Every reason the weights cannot be used, each naming the item (row = its number)."""
    if not items:
        return [Problem("指标体系没有任何三级指标")]
    problems = []
    for n, item in enumerate(items, 1):
        label = f"第{n}项“{item.name or '（未命名）'}”"
        if item.level1 not in LEVEL1:
            problems.append(Problem(f"{label}的一级指标“{item.level1}”应为决策、过程、产出或效益"))
        if not item.level2 or not item.name:
            problems.append(Problem(f"{label}缺少二级或三级指标名称"))
        if item.points <= 0:
            problems.append(Problem(f"{label}的分值应大于0，实际为{item.points}"))
    weights = level1_points(items)
    total = sum(weights.values(), ZERO)
    if total != TOTAL:
        problems.append(Problem(f"各项分值合计应为100分，实际为{_num(total)}分"))
    outcome = sum((weights[name] for name in OUTCOME_LEVEL1), ZERO)
    if outcome < OUTCOME_FLOOR:
        problems.append(Problem(f"产出和效益合计应不低于60分，实际为{_num(outcome)}分"))
    return problems


def level1_points(items: Iterable[FrameworkItem]) -> dict[str, Decimal]:
    weights = dict.fromkeys(LEVEL1, ZERO)
    for item in items:
        weights[item.level1] = weights.get(item.level1, ZERO) + item.points
    return weights


def score_problems(scored: Sequence[ScoredItem]) -> list[Problem]:
    """Scores outside 0 … the item's weight."""
    problems = []
    for n, s in enumerate(scored, 1):
        if s.score is not None and not ZERO <= s.score <= s.item.points:
            problems.append(
                Problem(
                    f"第{n}项“{s.item.name}”的得分应在0到{_num(s.item.points)}分之间，"
                    f"实际为{_num(s.score)}分"
                )
            )
    return problems


def outcome(scored: Sequence[ScoredItem], rules: RuleSet) -> Outcome:
    points = level1_points(s.item for s in scored)
    scores = dict.fromkeys(points, ZERO)
    for s in scored:
        if s.score is not None:
            scores[s.item.level1] += s.score
    total = sum(scores.values(), ZERO)
    done = sum(s.score is not None for s in scored)
    grade = rules.grade_for(total) if scored and done == len(scored) else None
    return Outcome(points, scores, total, done, len(scored), grade)


def proposed_cut(grade: Grade | None, base: Decimal, rules: RuleSet) -> Decimal:
    """The minimum cut of next year's amount a grade proposes (0 for 优/良 or no grade)."""
    if grade is None:
        return ZERO
    return round2(base * rules.cut_ratios[grade])


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")
