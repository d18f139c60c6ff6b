"""财政重点评价 rules on plain values: the template, weights, scores, grades and cuts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.domain.enums import Grade
from app.domain.errors import ValidationFailed
from app.domain.key_evaluation import (
    FrameworkItem,
    ScoredItem,
    framework_problems,
    level1_points,
    outcome,
    parse_framework,
    proposed_cut,
    score_problems,
)
from app.paths import resources_dir

D = Decimal


def _template() -> tuple[FrameworkItem, ...]:
    path = resources_dir() / "key_evaluation" / "framework.toml"
    return parse_framework(path.read_text(encoding="utf-8"))


def test_the_shipped_template_weighs_100_with_outcomes_at_least_60():
    items = _template()
    weights = level1_points(items)
    assert weights == {"决策": D(20), "过程": D(20), "产出": D(30), "效益": D(30)}
    assert len(items) == 20
    assert framework_problems(items) == []


def test_weights_not_adding_up_to_100_are_refused_with_the_sum():
    items = list(_template())
    items[0] = replace(items[0], points=D(5))
    (problem,) = framework_problems(items)
    assert problem.message == "各项分值合计应为100分，实际为102分"


def test_outcomes_below_60_break_the_national_principle():
    items = [
        FrameworkItem("决策", "项目立项", "立项依据充分性", D(25)),
        FrameworkItem("过程", "资金管理", "预算执行率", D(20)),
        FrameworkItem("产出", "产出数量", "实际完成率", D(30)),
        FrameworkItem("效益", "满意度", "服务对象满意度", D(25)),
    ]
    messages = [p.message for p in framework_problems(items)]
    assert messages == ["产出和效益合计应不低于60分，实际为55分"]


def test_a_wrong_level1_and_a_zero_weight_are_each_named():
    items = [
        FrameworkItem("管理", "项目立项", "甲", D(0)),
        FrameworkItem("产出", "产出数量", "乙", D(100)),
    ]
    messages = [p.message for p in framework_problems(items)]
    assert "第1项“甲”的一级指标“管理”应为决策、过程、产出或效益" in messages
    assert "第1项“甲”的分值应大于0，实际为0" in messages


def test_a_template_with_a_bad_number_names_the_item():
    text = '[[item]]\nlevel1 = "产出"\nlevel2 = "数量"\nname = "甲"\npoints = "十"\n'
    with pytest.raises(ValidationFailed) as caught:
        parse_framework(text, "模板")
    assert "模板第1项的分值“十”不是数字" in caught.value.message


def _scored(scores: list[Decimal | None]) -> list[ScoredItem]:
    return [ScoredItem(i, s) for i, s in zip(_template(), scores, strict=True)]


def test_full_marks_less_deductions_give_the_total_and_the_grade(rules):
    items = _template()
    scores = [i.points for i in items]
    scores[0] -= D(3)  # 立项依据充分性 0 of 3
    scores[-1] -= D("4.5")  # 满意度 3.5 of 8
    result = outcome(_scored(scores), rules)
    assert result.total == D("92.5")
    assert result.score_by_level1["决策"] == D(17)
    assert result.grade is Grade.EXCELLENT
    assert result.complete


@pytest.mark.parametrize(
    ("total", "grade"),
    [(D(90), Grade.EXCELLENT), (D("89.99"), Grade.GOOD), (D(80), Grade.GOOD),
     (D("79.5"), Grade.FAIR), (D(60), Grade.FAIR), (D("59.9"), Grade.POOR)],
)  # fmt: skip
def test_grades_use_the_self_evaluation_bands(rules, total, grade):
    items = [FrameworkItem("产出", "产出数量", "完成率", D(100))]
    assert outcome([ScoredItem(items[0], total)], rules).grade is grade


def test_no_grade_until_every_item_is_scored(rules):
    scores: list[Decimal | None] = [i.points for i in _template()]
    scores[5] = None
    result = outcome(_scored(scores), rules)
    assert (result.scored, result.items, result.grade) == (19, 20, None)
    assert result.total == D(96)


def test_a_score_above_the_weight_is_refused():
    item = FrameworkItem("效益", "满意度", "服务对象满意度", D(8))
    (problem,) = score_problems([ScoredItem(item, D("8.5"))])
    assert problem.message == "第1项“服务对象满意度”的得分应在0到8分之间，实际为8.5分"
    assert score_problems([ScoredItem(item, D(0)), ScoredItem(item, None)]) == []


def test_fair_and_poor_grades_propose_the_rule_set_cut(rules):
    base = D("1234567.89")
    assert proposed_cut(Grade.FAIR, base, rules) == D("246913.58")
    assert proposed_cut(Grade.POOR, base, rules) == D("617283.95")
    assert proposed_cut(Grade.GOOD, base, rules) == 0
    assert proposed_cut(None, base, rules) == 0
