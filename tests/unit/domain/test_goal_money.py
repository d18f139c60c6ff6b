"""Goal vs money: cost indicators against 资金总额, on plain values."""

from dataclasses import replace
from decimal import Decimal

import pytest

from app.domain.enums import Comparator, Scope
from app.domain.goal_checks import GoalDraft, IndicatorDraft, check_goal
from app.domain.goal_money import CostRow, money_findings, unit_cost
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path

D = Decimal
COST, QUANTITY = ("成本指标", "经济成本指标"), "数量指标"


def cost(target, unit="元/人", row=3, name="人均培训成本"):
    return CostRow(row, "成本指标", name, "≤", D(target), unit)


def qty(target, unit="人", row=1, name="培训人数"):
    return CostRow(row, "数量指标", name, "≥", D(target), unit)


def findings(total, *rows):
    return money_findings(D(total), rows, COST, QUANTITY)


def test_unit_cost_reads_yuan_and_wan_per_something():
    assert unit_cost("元/人") == (D(1), "人")
    assert unit_cost(" 万元／个 ") == (D(10000), "个")
    assert unit_cost("元") is None
    assert unit_cost("%") is None
    assert unit_cost("元/") is None
    assert unit_cost("美元/人") is None


def test_a_fitting_unit_cost_is_quiet():
    # 650 元/人 × 1200 人 = 78 万元 of 100 万元.
    assert findings("1000000", qty("1200"), cost("650")) == []


def test_unit_cost_times_quantity_above_the_money_is_located_with_figures():
    [problem] = findings("500000", qty("1200"), cost("650"))
    assert not problem.blocking
    assert (problem.row, problem.column) == (3, "指标值")
    assert problem.message == (
        "成本指标“人均培训成本”≤650元/人 × 数量指标“培训人数”（第1行）1200人 = 78.00 万元，"
        "超过资金总额 50.00 万元，成本与资金不匹配"
    )


def test_up_to_120_percent_of_the_money_is_tolerated():
    assert findings("650000", qty("1200"), cost("650")) == []  # 78 万 = 120% of 65 万
    assert len(findings("649999", qty("1200"), cost("650"))) == 1


def test_wan_per_unit_is_scaled():
    # 2 万元/个 × 30 个 = 60 万元 of 40 万元.
    [problem] = findings("400000", qty("30", "个"), cost("2", "万元/个"))
    assert "= 60.00 万元" in problem.message


def test_a_tenth_of_the_money_flags_a_single_unit_cost():
    # 65 元/人 × 1200 人 = 7.8 万元 of 100 万元: the 元/万元 slip.
    [problem] = findings("1000000", qty("1200"), cost("65"))
    assert "不足资金总额 100.00 万元的十分之一" in problem.message


def test_small_unit_costs_are_not_flagged_when_several_share_the_money():
    rows = (qty("1200"), qty("10", "期", 2, "培训期数"), cost("65"), cost("500", "元/期", 4))
    assert findings("1000000", *rows) == []


def test_no_matching_quantity_or_two_of_them_is_no_finding():
    assert findings("100000", qty("30", "个"), cost("650")) == []
    two = (qty("1200"), qty("5000", "人", 2, "受益人数"), cost("650"))
    assert findings("100000", *two) == []


def test_a_plain_cost_above_the_total_is_flagged():
    [problem] = findings("1000000", cost("120", "万元", name="工程建设成本"))
    assert problem.row == 3
    assert problem.message == (
        "成本指标“工程建设成本”≤120万元 超过资金总额 100.00 万元，成本不能大于总额"
    )
    assert findings("1000000", cost("100", "万元")) == []
    assert findings("1000000", cost("999999", "元")) == []


def test_without_money_nothing_is_compared():
    assert money_findings(None, (qty("1200"), cost("650")), COST, QUANTITY) == []
    assert findings("0", qty("1200"), cost("650")) == []


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set(default_rules_path())


def _ind(level1, level2, name, comparator, target, unit, points):
    return IndicatorDraft(level1, level2, name, comparator, D(target), unit=unit, points=D(points))


def test_check_goal_reports_the_cost_row_of_the_grid(rules):
    indicators = (
        _ind("产出指标", "数量指标", "培训人数", Comparator.GE, "1200", "人", "20"),
        _ind("产出指标", "质量指标", "培训合格率", Comparator.GE, "95", "%", "15"),
        _ind("产出指标", "成本指标", "人均培训成本", Comparator.LE, "650", "元/人", "15"),
        _ind("效益指标", "社会效益指标", "就业人数", Comparator.GE, "300", "人", "30"),
        _ind("满意度指标", "服务对象满意度指标", "学员满意度", Comparator.GE, "90", "%", "10"),
    )
    draft = GoalDraft(
        Scope.PROJECT, "全年培训农村劳动力1200人。", D(500000), D(500000), None, indicators
    )
    money = [p for p in check_goal(draft, rules) if "资金总额" in p.message]
    assert [(p.row, p.blocking) for p in money] == [(3, False)]
    fitting = replace(draft, total_amount=D(1000000), fiscal_amount=D(1000000))
    assert [p for p in check_goal(fitting, rules) if "资金总额" in p.message] == []
