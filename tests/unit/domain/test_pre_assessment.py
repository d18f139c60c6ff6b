from dataclasses import replace
from decimal import Decimal

import pytest

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.errors import UserError
from app.domain.money import format_percent, round2
from app.domain.pre_assessment import (
    AssessmentCandidate,
    Exemption,
    approval_blocked_by_assessment,
    assessment_triggers,
    summarize_assessments,
)
from app.domain.rules import PreAssessmentRules, load_rule_set
from app.paths import default_rules_path

D = Decimal
WAN = D(10000)


@pytest.fixture(scope="module")
def rules() -> PreAssessmentRules:
    return load_rule_set(default_rules_path()).pre_assessment


def candidate(kind=ProjectKind.NEW, wan="100", last_wan=None, years=(2025, 2025), **kw):
    return AssessmentCandidate(
        project_code="219001250001",
        kind=kind,
        amount=D(wan) * WAN,
        start_year=years[0],
        end_year=years[1],
        last_year_amount=None if last_wan is None else D(last_wan) * WAN,
        **kw,
    )


def test_default_thresholds_are_in_yuan(rules):
    assert rules.new_threshold_yuan == D(4000000)
    assert rules.growth_amount_yuan == D(4000000)


@pytest.mark.parametrize(("wan", "required"), [("400", True), ("399.99", False), ("1000", True)])
def test_new_project_threshold(rules, wan, required):
    result = assessment_triggers(candidate(wan=wan), rules)
    assert result.required is required
    assert bool(result.reasons) is required


def test_new_project_reason_text(rules):
    result = assessment_triggers(candidate(wan="400"), rules)
    assert result.reasons == ("新增项目金额 400.00 万元，达到 400 万元",)


@pytest.mark.parametrize(
    ("last_wan", "wan", "required"),
    [
        ("100", "130", True),  # exactly 30%
        ("100", "129.99", False),
        ("1000", "1300", True),  # 30%, and +300万 is below 400万
        ("2000", "2400", True),  # exactly +400万 (20%)
        ("2000", "2399.99", False),
        ("100", "90", False),  # shrinking
    ],
)
def test_continuing_growth(rules, last_wan, wan, required):
    result = assessment_triggers(candidate(ProjectKind.CONTINUING, wan, last_wan), rules)
    assert result.required is required


def test_growth_reasons_name_both_triggers(rules):
    result = assessment_triggers(candidate(ProjectKind.CONTINUING, "1000", "500"), rules)
    assert result.reasons == (
        "比上年 500.00 万元增长 100.00%，达到 30.00%",
        "比上年增加 500.00 万元，达到 400 万元",
    )


def test_continuing_without_last_year_uses_new_threshold(rules):
    big = assessment_triggers(candidate(ProjectKind.CONTINUING, "400"), rules)
    assert big.required and "上年无同编码项目" in big.reasons[0]
    small = assessment_triggers(candidate(ProjectKind.CONTINUING, "399.99"), rules)
    assert not small.required


def test_continuing_from_zero_judged_by_growth_amount(rules):
    assert assessment_triggers(candidate(ProjectKind.CONTINUING, "400", "0"), rules).required
    assert not assessment_triggers(candidate(ProjectKind.CONTINUING, "300", "0"), rules).required


@pytest.mark.parametrize(
    ("years", "required"), [((2025, 2027), False), ((2025, 2028), True), ((2025, 2025), False)]
)
def test_implementation_years(rules, years, required):
    result = assessment_triggers(candidate(wan="10", years=years), rules)
    assert result.required is required
    if required:
        assert result.reasons == ("实施期 2025—2028 年共 4 年，超过 3 年",)


def test_years_trigger_applies_to_continuing_projects(rules):
    item = candidate(ProjectKind.CONTINUING, "100", "100", years=(2022, 2025))
    assert assessment_triggers(item, rules).required


def test_end_before_start_is_a_user_error(rules):
    with pytest.raises(UserError, match="早于开始年份"):
        assessment_triggers(candidate(years=(2025, 2024)), rules)


@pytest.mark.parametrize("exemption", list(Exemption))
def test_exemption_lists_but_does_not_require(rules, exemption):
    item = candidate(wan="500", exemption=exemption, exemption_note="县政府常务会议决定")
    result = assessment_triggers(item, rules)
    assert not result.required
    assert result.exempt
    assert result.reasons  # the triggers stay visible
    assert exemption.value in result.exemption_text
    assert "县政府常务会议决定" in result.exemption_text


def test_exemption_without_trigger_is_not_listed(rules):
    result = assessment_triggers(candidate(wan="10", exemption=Exemption.EMERGENCY), rules)
    assert (result.required, result.exempt, result.reasons) == (False, False, ())


def test_thresholds_follow_the_rule_set(rules):
    lower = replace(rules, new_threshold_yuan=D(1000000))
    assert assessment_triggers(candidate(wan="100"), lower).required
    assert not assessment_triggers(candidate(wan="100"), rules).required


def test_summary_matches_the_city_example():
    summary = summarize_assessments([(D("24053.22") * WAN, D("14892.89") * WAN)])
    assert summary.cut == D("9160.33") * WAN
    assert format_percent(summary.cut_rate) == "38.08%"
    assert summary.describe() == (
        "评估项目 1 个，送审金额 24,053.22 万元，审定金额 14,892.89 万元，"
        "审减金额 9,160.33 万元，审减率 38.08%"
    )


def test_summary_adds_items():
    items = [(D(1000), D(800)), (D(3000), D(3000)), (D(1000), D(0))]
    summary = summarize_assessments(items)
    assert (summary.count, summary.submitted, summary.approved) == (3, D(5000), D(3800))
    assert summary.cut == D(1200)
    assert round2(summary.cut_rate * 100) == D("24.00")


def test_empty_summary_has_no_rate():
    summary = summarize_assessments([])
    assert (summary.count, summary.cut, summary.cut_rate) == (0, D(0), None)
    assert summary.describe().endswith("审减率 —")


@pytest.mark.parametrize(
    ("required", "conclusion", "blocked"),
    [
        (True, None, True),
        (True, AssessmentConclusion.REJECT, True),
        (True, AssessmentConclusion.SUPPORT, False),
        (True, AssessmentConclusion.PARTIAL, False),
        (False, None, False),
        (False, AssessmentConclusion.REJECT, False),
    ],
)
def test_approval_blocked_by_assessment(required, conclusion, blocked):
    assert approval_blocked_by_assessment(required, conclusion) is blocked


def test_a_policy_needs_a_name_and_a_department():
    from app.domain.pre_assessment import policy_problems

    assert policy_problems("县级农业产业化扶持政策", "301001") == []
    assert [(p.column, p.message) for p in policy_problems("  ", "")] == [
        ("政策名称", "政策名称未填写"),
        ("预算单位", "政策的主管预算单位未选择"),
    ]
    [long] = policy_problems("政" * 201, "301001")
    assert long.message == "政策名称过长（201 字，最多 200 字）"
