"""Ex-ante assessment (事前绩效评估, docs/domain.md §4): who needs one, and the summary figures.

Design decisions:
- Thresholds are inclusive ("400万元 or more", "grows 30% or more"); the years trigger is
  strict ("beyond 3 years": a 3-year 实施期 does not trigger, 4 years does). The years
  trigger applies to new and continuing projects alike.
- A continuing project with no project of the same code last year has no baseline, so it
  is judged by the new-project threshold, and the reason says so.
- An exemption (emergency / mandated by higher authorities) matters only when a trigger
  fires: the project is then not required but listed as exempt, with the triggers kept.
- A 新出台重大政策 is assessed on the bureau's own choice (no trigger): it needs a name, a
  department and a year inside the fiscal years on file; its ratings and amounts are
  checked as a project's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.errors import Problem, UserError
from app.domain.money import YUAN_PER_WAN, format_percent, round2
from app.domain.numbers import plain
from app.domain.rules import PreAssessmentRules

POSITIVE_CONCLUSIONS = (AssessmentConclusion.SUPPORT, AssessmentConclusion.PARTIAL)


class Exemption(StrEnum):
    EMERGENCY = "应急救灾"
    MANDATED = "上级指定"


@dataclass(frozen=True)
class AssessmentCandidate:
    """A project proposed for next year's budget. Amounts in 元."""

    project_code: str
    kind: ProjectKind
    amount: Decimal
    start_year: int
    end_year: int
    last_year_amount: Decimal | None = None
    exemption: Exemption | None = None
    exemption_note: str = ""


@dataclass(frozen=True)
class TriggerResult:
    required: bool
    reasons: tuple[str, ...]  # every trigger that fired, in Chinese
    exempt: bool
    exemption_text: str = ""


@dataclass(frozen=True)
class AssessmentSummary:
    """送审 / 审定 / 审减 totals in 元; rate = 审减 ÷ 送审 (None when nothing was submitted)."""

    count: int
    submitted: Decimal
    approved: Decimal
    cut: Decimal
    cut_rate: Decimal | None

    def describe(self) -> str:
        rate = format_percent(self.cut_rate) if self.cut_rate is not None else "—"
        return (
            f"评估项目 {self.count} 个，送审金额 {_wan(self.submitted)} 万元，审定金额 "
            f"{_wan(self.approved)} 万元，审减金额 {_wan(self.cut)} 万元，审减率 {rate}"
        )


def _wan(yuan: Decimal) -> str:
    return f"{round2(yuan / YUAN_PER_WAN):,.2f}"


def _wan_limit(yuan: Decimal) -> str:
    return plain(yuan / YUAN_PER_WAN)


def assessment_triggers(candidate: AssessmentCandidate, rules: PreAssessmentRules) -> TriggerResult:
    """Which ex-ante triggers a project hits, and whether it must be assessed."""
    if candidate.end_year < candidate.start_year:
        raise UserError(
            f"项目 {candidate.project_code} 的实施期结束年份 {candidate.end_year} "
            f"早于开始年份 {candidate.start_year}"
        )
    reasons = [*_amount_reasons(candidate, rules), *_years_reasons(candidate, rules)]
    if reasons and candidate.exemption is not None:
        note = f"（{candidate.exemption_note.strip()}）" if candidate.exemption_note.strip() else ""
        text = f"属{candidate.exemption}事项{note}，免于事前绩效评估"
        return TriggerResult(False, tuple(reasons), True, text)
    return TriggerResult(bool(reasons), tuple(reasons), False)


def _amount_reasons(candidate: AssessmentCandidate, rules: PreAssessmentRules) -> list[str]:
    last = candidate.last_year_amount
    if candidate.kind is ProjectKind.NEW or last is None:
        if candidate.amount < rules.new_threshold_yuan:
            return []
        what = "新增项目" if candidate.kind is ProjectKind.NEW else "延续项目（上年无同编码项目）"
        return [
            f"{what}金额 {_wan(candidate.amount)} 万元，"
            f"达到 {_wan_limit(rules.new_threshold_yuan)} 万元"
        ]
    growth = candidate.amount - last
    reasons = []
    if last > 0 and growth >= rules.growth_ratio * last:
        reasons.append(
            f"比上年 {_wan(last)} 万元增长 {format_percent(growth / last)}，"
            f"达到 {format_percent(rules.growth_ratio)}"
        )
    if growth >= rules.growth_amount_yuan:
        reasons.append(
            f"比上年增加 {_wan(growth)} 万元，达到 {_wan_limit(rules.growth_amount_yuan)} 万元"
        )
    return reasons


def _years_reasons(candidate: AssessmentCandidate, rules: PreAssessmentRules) -> list[str]:
    years = candidate.end_year - candidate.start_year + 1
    if years <= rules.max_years:
        return []
    return [
        f"实施期 {candidate.start_year}—{candidate.end_year} 年共 {years} 年，"
        f"超过 {rules.max_years} 年"
    ]


def summarize_assessments(items: Iterable[tuple[Decimal, Decimal]]) -> AssessmentSummary:
    """Totals over (送审, 审定) pairs in 元. 审减 = 送审 − 审定; the rate is exact."""
    count, submitted, approved = 0, Decimal(0), Decimal(0)
    for sent, kept in items:
        count += 1
        submitted += sent
        approved += kept
    cut = submitted - approved
    rate = cut / submitted if submitted else None
    return AssessmentSummary(count, submitted, approved, cut, rate)


def approval_blocked_by_assessment(required: bool, conclusion: AssessmentConclusion | None) -> bool:
    """A project that needs an assessment cannot be approved without 予以支持 or 部分支持."""
    return required and conclusion not in POSITIVE_CONCLUSIONS


POLICY_NAME_LENGTH = 200


def policy_problems(name: str, department_code: str) -> list[Problem]:
    """What a policy record lacks besides its ratings: a name and a department."""
    problems = []
    cleaned = name.strip()
    if not cleaned:
        problems.append(Problem("政策名称未填写", column="政策名称"))
    elif len(cleaned) > POLICY_NAME_LENGTH:
        message = f"政策名称过长（{len(cleaned)} 字，最多 {POLICY_NAME_LENGTH} 字）"
        problems.append(Problem(message, column="政策名称"))
    if not department_code.strip():
        problems.append(Problem("政策的主管预算单位未选择", column="预算单位"))
    return problems
