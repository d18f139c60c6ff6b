"""Results application (docs/domain.md §8): proposals for next year's budget."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.enums import AssessmentConclusion, Grade, MonitoringConclusion
from app.domain.results import (
    AdjustmentAction,
    AdjustmentInput,
    effective_grade,
    propose_adjustment,
    propose_adjustments,
)
from app.domain.rules import load_rule_set
from app.paths import default_rules_path

RULES = load_rule_set(default_rules_path())
BASE = D("1000000")  # 100万元


def item(**kw) -> AdjustmentInput:
    defaults = {"project_code": "P1", "project_name": "农村道路养护", "department": "交通局"}
    return AdjustmentInput(base=kw.pop("base", BASE), **defaults | kw)


@pytest.mark.parametrize("grade", [Grade.EXCELLENT, Grade.GOOD])
def test_excellent_and_good_keep(grade):
    result = propose_adjustment(item(self_grade=grade), RULES)
    assert (result.action, result.cut, result.proposed) == (AdjustmentAction.KEEP, 0, BASE)
    assert result.reasons == (f"绩效自评等级为“{grade.value}”，保持或予以支持",)


@pytest.mark.parametrize(
    ("grade", "cut", "ending"),
    [(Grade.FAIR, D("200000"), "调减20.00万元"), (Grade.POOR, D("500000"), "（或取消项目）")],
)
def test_fair_and_poor_cut_by_rule_set_ratio(grade, cut, ending):
    result = propose_adjustment(item(self_grade=grade), RULES)
    assert result.action is AdjustmentAction.CUT
    assert result.cut == cut
    assert result.proposed == BASE - cut
    assert result.cut_ratio == RULES.cut_ratios[grade]
    assert result.reason_text.endswith(ending)


def test_review_grade_wins_over_self_grade():
    reviewed = item(self_grade=Grade.EXCELLENT, review_grade=Grade.FAIR)
    assert effective_grade(reviewed) is Grade.FAIR
    result = propose_adjustment(reviewed, RULES)
    assert result.cut == D(200000)
    assert result.reasons[0].startswith("抽查复核等级为“中”")


def test_cut_is_rounded_to_fen_half_up():
    result = propose_adjustment(item(base=D("333333.33"), self_grade=Grade.FAIR), RULES)
    assert result.cut == D("66666.67")  # 66666.666
    assert result.proposed == D("266666.66")


def test_ex_ante_cut_comes_first_then_the_grade_ratio():
    result = propose_adjustment(
        item(
            self_grade=Grade.FAIR,
            assessment_conclusion=AssessmentConclusion.PARTIAL,
            assessment_cut=D(100000),
        ),
        RULES,
    )
    assert result.cut == D(280000)  # 10万 + 20% of 90万
    assert result.proposed == D(720000)
    assert result.reasons == (
        "事前绩效评估部分支持，核减10.00万元",
        "绩效自评等级为“中”，按规则调减不低于20.00%，调减18.00万元",
    )


def test_ex_ante_reject_cancels():
    result = propose_adjustment(
        item(self_grade=Grade.EXCELLENT, assessment_conclusion=AssessmentConclusion.REJECT), RULES
    )
    assert (result.action, result.proposed, result.cut) == (AdjustmentAction.CANCEL, 0, BASE)


def test_monitoring_suspension_defers_and_adjustment_adds_a_reason():
    suspended = propose_adjustment(
        item(self_grade=Grade.GOOD, monitoring_conclusion=MonitoringConclusion.SUSPEND_FUNDING),
        RULES,
    )
    assert (suspended.action, suspended.proposed) == (AdjustmentAction.DEFER, 0)
    assert "暂停拨款" in suspended.reason_text
    adjusted = propose_adjustment(
        item(self_grade=Grade.GOOD, monitoring_conclusion=MonitoringConclusion.ADJUST_BUDGET),
        RULES,
    )
    assert (adjusted.action, adjusted.proposed) == (AdjustmentAction.KEEP, BASE)
    assert "调整预算" in adjusted.reason_text


def test_no_grade_keeps_with_reason():
    result = propose_adjustment(item(), RULES)
    assert (result.grade, result.action, result.proposed) == (None, AdjustmentAction.KEEP, BASE)
    assert result.reasons == ("无评价等级，不按等级调整",)


def test_cut_ratios_come_from_the_rule_set():
    stricter = replace(RULES, cut_ratios=RULES.cut_ratios | {Grade.FAIR: D("0.3")})
    assert propose_adjustment(item(self_grade=Grade.FAIR), stricter).cut == D(300000)


def test_list_is_ordered_by_department_then_code():
    items = [
        item(project_code="P2", department="B局"),
        item(project_code="P9", department="A局"),
        item(project_code="P1", department="B局"),
    ]
    codes = [r.project_code for r in propose_adjustments(items, RULES)]
    assert codes == ["P9", "P1", "P2"]
