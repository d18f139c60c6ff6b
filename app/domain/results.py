"""Results application (结果应用, docs/domain.md §8): next year's proposed budget per project.

Decisions:
- The grade used is the review grade when the project was reviewed, else the self grade.
- The cut ratio comes from the rule set (``cut_ratios``: 中 ≥ 20%, 差 ≥ 50% by default) and
  is the minimum to propose; 差 adds "或取消" to the reason, cancelling stays a human call.
- Ex-ante 核减 is taken off first (it corrects the request itself); the grade ratio then
  applies to what is left, so both reasons count without cutting the same money twice.
- 不予支持 (ex-ante) proposes 0 (取消); monitoring 暂停拨款 proposes 0 (暂缓安排, until
  the problems are fixed). 调整预算 does not change the amount by itself: it adds a reason
  asking the budget team to check the adjusted budget.
- Amounts are Decimal 元 rounded to 分.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.enums import AssessmentConclusion, Grade, MonitoringConclusion
from app.domain.money import format_percent, round2
from app.domain.numbers import wan
from app.domain.rules import RuleSet

ZERO = Decimal(0)


class AdjustmentAction(StrEnum):
    KEEP = "保持"
    CUT = "调减"
    DEFER = "暂缓安排"
    CANCEL = "取消"


@dataclass(frozen=True)
class AdjustmentInput:
    project_code: str
    project_name: str
    department: str
    base: Decimal  # next year's requested budget (元) the proposal starts from
    self_grade: Grade | None = None
    review_grade: Grade | None = None
    monitoring_conclusion: MonitoringConclusion | None = None
    assessment_conclusion: AssessmentConclusion | None = None
    assessment_cut: Decimal = ZERO  # ex-ante 核减 amount, 元


@dataclass(frozen=True)
class BudgetAdjustment:
    project_code: str
    project_name: str
    department: str
    base: Decimal
    grade: Grade | None
    cut_ratio: Decimal  # the grade's ratio from the rule set
    cut: Decimal  # total proposed reduction, 元
    proposed: Decimal  # base − cut, 元
    action: AdjustmentAction
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def effective_grade(item: AdjustmentInput) -> Grade | None:
    """The review grade wins over the self grade."""
    return item.review_grade or item.self_grade


def propose_adjustment(item: AdjustmentInput, rules: RuleSet) -> BudgetAdjustment:
    grade = effective_grade(item)
    reasons: list[str] = []
    remaining = item.base
    if item.assessment_conclusion is AssessmentConclusion.PARTIAL and item.assessment_cut > 0:
        ex_ante = min(item.assessment_cut, remaining)
        remaining -= ex_ante
        reasons.append(f"事前绩效评估部分支持，核减{wan(ex_ante)}万元")
    ratio = rules.cut_ratios[grade] if grade is not None else ZERO
    if grade is None:
        reasons.append("无评价等级，不按等级调整")
    elif ratio > 0:
        grade_cut = round2(remaining * ratio)
        remaining -= grade_cut
        reasons.append(_grade_reason(grade, item, ratio, grade_cut))
    else:
        reasons.append(f"{_grade_source(item)}为“{grade.value}”，保持或予以支持")
    action = AdjustmentAction.CUT if remaining < item.base else AdjustmentAction.KEEP
    action, remaining = _overrides(item, action, remaining, reasons)
    proposed = round2(remaining)
    cut = round2(item.base) - proposed
    return BudgetAdjustment(
        item.project_code,
        item.project_name,
        item.department,
        item.base,
        grade,
        ratio,
        cut,
        proposed,
        action,
        tuple(reasons),
    )


def _grade_source(item: AdjustmentInput) -> str:
    return "抽查复核等级" if item.review_grade is not None else "绩效自评等级"


def _grade_reason(grade: Grade, item: AdjustmentInput, ratio: Decimal, cut: Decimal) -> str:
    text = (
        f"{_grade_source(item)}为“{grade.value}”，按规则调减不低于{format_percent(ratio)}，"
        f"调减{wan(cut)}万元"
    )
    return text + "（或取消项目）" if grade is Grade.POOR else text


def _overrides(
    item: AdjustmentInput, action: AdjustmentAction, remaining: Decimal, reasons: list[str]
) -> tuple[AdjustmentAction, Decimal]:
    """Conclusions that stop the money outright, strongest last so it wins."""
    if item.monitoring_conclusion is MonitoringConclusion.ADJUST_BUDGET:
        reasons.append("绩效监控结论为调整预算，请结合调整后预算核定")
    if item.monitoring_conclusion is MonitoringConclusion.SUSPEND_FUNDING:
        reasons.append("绩效监控中暂停拨款，整改到位前暂缓安排")
        action, remaining = AdjustmentAction.DEFER, ZERO
    if item.assessment_conclusion is AssessmentConclusion.REJECT:
        reasons.append("事前绩效评估不予支持，不安排预算")
        action, remaining = AdjustmentAction.CANCEL, ZERO
    return action, remaining


def propose_adjustments(items: list[AdjustmentInput], rules: RuleSet) -> list[BudgetAdjustment]:
    """The results-application list, ordered by department then project code."""
    ordered = sorted(items, key=lambda i: (i.department, i.project_code))
    return [propose_adjustment(item, rules) for item in ordered]
