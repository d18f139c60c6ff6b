"""部门整体 monitoring on plain values: the whole spending is judged like a project."""

from decimal import Decimal

from app.domain.department_spending import DepartmentSpending, department_entry, opening_budgets
from app.domain.enums import Comparator, DeviationCategory, Lamp
from app.domain.lamps import IndicatorProgress, evaluate_round, missing_reasons
from app.domain.rules import load_rule_set
from app.paths import default_rules_path

D = Decimal
RULES = load_rule_set(default_rules_path())


def test_opening_budgets_split_the_whole_into_projects_and_the_rest():
    assert opening_budgets(D(5_000_000), D(3_000_000)) == (D(2_000_000), D(3_000_000))
    assert opening_budgets(D(1_000_000), D(3_000_000)) == (D(0), D(3_000_000))
    assert opening_budgets(None, D(700)) == (D(0), D(700))


def test_the_budget_lamp_judges_basic_plus_project_spending():
    # October, 序时进度 10/12. Basic 2,000,000 spent 1,800,000 (90%), projects 3,000,000
    # spent 900,000 (30%): the whole 2,700,000 / 5,000,000 = 54% ÷ 83.33% = 64.8% → yellow.
    spending = DepartmentSpending(D(2_000_000), D(1_800_000), D(3_000_000), D(900_000))
    assert (spending.budget, spending.spent) == (D(5_000_000), D(2_700_000))
    lamps = evaluate_round(department_entry(10, spending), RULES)
    assert lamps.budget.lamp is Lamp.YELLOW
    assert lamps.project is Lamp.YELLOW
    [problem, _text] = missing_reasons(department_entry(10, spending), lamps)
    assert "预算执行为黄灯" in problem.message


def test_the_goals_indicators_join_the_departments_lamp():
    spending = DepartmentSpending(D(100), D(50), D(100), D(50))  # June: 50% → green
    late = IndicatorProgress("“三公”经费控制率", "成本指标", Comparator.LE, D(100), "%", D(104))
    entry = department_entry(6, spending, (late,))
    lamps = evaluate_round(entry, RULES)
    assert lamps.budget.lamp is Lamp.GREEN
    assert [r.lamp for r in lamps.indicators] == [Lamp.RED]
    assert lamps.project is Lamp.RED


def test_a_stated_budget_reason_satisfies_the_yellow_lamp():
    spending = DepartmentSpending(D(2_000_000), D(1_800_000), D(3_000_000), D(900_000))
    entry = department_entry(10, spending, (), DeviationCategory.FUNDING, "项目资金待上级下达")
    assert missing_reasons(entry, evaluate_round(entry, RULES)) == []
