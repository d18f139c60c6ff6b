from dataclasses import replace
from decimal import Decimal

import pytest

from app.domain.enums import Comparator, Scope
from app.domain.errors import UserError
from app.domain.goal_checks import (
    GoalDraft,
    IndicatorDraft,
    check_goal,
    goal_text_index,
    has_blocking,
    normalize_goal_text,
)
from app.domain.points import spread_points
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path

D = Decimal


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set(default_rules_path())


def ind(level1, level2, name, comparator=Comparator.GE, target="1", unit="个", points="10", **kw):
    return IndicatorDraft(
        level1=level1,
        level2=level2,
        name=name,
        comparator=comparator,
        target=None if target is None else D(target),
        unit=unit,
        points=None if points is None else D(points),
        **kw,
    )


# A clean goal: 产出 50 (20+15+15), 效益 30, 满意度 10, 执行率 10 → 100.
CLEAN = (
    ind("产出指标", "数量指标", "培训人数", target="1200", unit="人", points="20"),
    ind("产出指标", "质量指标", "培训合格率", target="95", unit="%", points="15"),
    ind("产出指标", "成本指标", "人均培训成本", Comparator.LE, "650", "元/人", "15"),
    ind("效益指标", "社会效益指标", "就业人数", target="300", unit="人", points="30"),
    ind("满意度指标", "服务对象满意度指标", "学员满意度", target="90", unit="%", points="10"),
)


def goal(indicators=CLEAN, **kw) -> GoalDraft:
    values = {
        "scope": Scope.PROJECT,
        "overall_target": "全年培训农村劳动力1200人，促进就业300人。",
        "total_amount": D("1000000"),
        "fiscal_amount": D("800000"),
        "other_amount": D("200000"),
        "indicators": tuple(indicators),
        "department_code": "219001",
        "project_code": "P001",
    }
    values.update(kw)
    return GoalDraft(**values)


def with_row(i, **changes):
    rows = list(CLEAN)
    rows[i] = replace(rows[i], **changes)
    return rows


def found(problems, text):
    return [p for p in problems if text in p.message]


def test_clean_goal_has_no_problem(rules):
    assert check_goal(goal(), rules) == []


def test_untidy_labels_are_accepted(rules):
    rows = with_row(0, level1="产出指标（50分）", level2="数量 指标")
    assert check_goal(goal(rows), rules) == []


# --- blocking ----------------------------------------------------------------------------


@pytest.mark.parametrize(("level1", "index"), [("效益指标", 3), ("满意度指标", 4)])
def test_missing_level1_blocks(rules, level1, index):
    rows = [r for i, r in enumerate(CLEAN) if i != index]
    rows[0] = replace(rows[0], points=rows[0].points + CLEAN[index].points)  # keep 100
    problems = found(check_goal(goal(rows), rules), f"{level1}下没有任何指标")
    assert len(problems) == 1 and problems[0].blocking and problems[0].row is None


def test_missing_quantity_indicator_blocks(rules):
    rows = with_row(0, level2="时效指标")
    problems = found(check_goal(goal(rows), rules), "至少应有一个数量指标")
    assert [p.blocking for p in problems] == [True]


def test_quantitative_without_target_blocks(rules):
    problems = check_goal(goal(with_row(1, target=None)), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(2, "指标值", True)]


def test_quantitative_without_unit_blocks(rules):
    problems = check_goal(goal(with_row(3, unit=" ")), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(4, "计量单位", True)]


def test_missing_comparator_blocks(rules):
    problems = check_goal(goal(with_row(0, comparator=None)), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(1, "指标性质", True)]


def test_qualitative_needs_no_number_or_unit(rules):
    rows = with_row(3, comparator=Comparator.QUALITATIVE, target=None, unit="", target_text="好")
    assert check_goal(goal(rows), rules) == []


def test_qualitative_without_text_warns(rules):
    rows = with_row(3, comparator=Comparator.QUALITATIVE, target=None, unit="")
    problems = check_goal(goal(rows), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(4, "指标值", False)]


def test_points_not_adding_up_block(rules):
    problems = check_goal(goal(with_row(0, points=D("19.5"))), rules)
    total = found(problems, "应为 100")
    assert len(total) == 1 and total[0].blocking and total[0].column == "分值"
    assert "99.5" in total[0].message


def test_execution_points_of_the_form_count(rules):
    # 90 of indicator points + 5 for 执行率 on this form = 95, not 100.
    problems = check_goal(goal(execution_points=D(5)), rules)
    assert found(problems, "应为 100")
    assert check_goal(goal(execution_points=D(10)), rules) == []


def test_missing_points_block_without_sum_message(rules):
    problems = check_goal(goal(with_row(2, points=None)), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(3, "分值", True)]


def test_negative_points_block(rules):
    rows = with_row(1, points=D(-5))
    rows[0] = replace(rows[0], points=D(40))  # keeps the sum at 100
    problems = check_goal(goal(rows), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(2, "分值", True)]


def test_empty_name_blocks(rules):
    problems = check_goal(goal(with_row(1, name="  ")), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(2, "三级指标", True)]


def test_unknown_level1_blocks(rules):
    problems = check_goal(goal(with_row(4, level1="其他指标")), rules)
    bad = [p for p in problems if p.row == 5]
    assert [(p.column, p.blocking) for p in bad] == [("一级指标", True)]


def test_level2_under_wrong_level1_blocks(rules):
    problems = check_goal(goal(with_row(3, level2="质量指标")), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(4, "二级指标", True)]


def test_blank_placeholder_rows_are_skipped(rules):
    blank = IndicatorDraft("产出指标", "时效指标", " ", None, None)
    rows = [CLEAN[0], blank, *CLEAN[1:]]
    assert check_goal(goal(rows), rules) == []
    # positions still count the blank row
    rows[2] = replace(rows[2], target=None)
    assert [p.row for p in check_goal(goal(rows), rules)] == [3]


def test_reader_row_number_is_reported(rules):
    problems = check_goal(goal(with_row(1, target=None, row=12)), rules)
    assert [p.row for p in problems] == [12]


@pytest.mark.parametrize(
    ("amounts", "column"),
    [
        ({"total_amount": None}, "资金总额"),
        ({"total_amount": D(-1)}, "资金总额"),
        ({"fiscal_amount": D(-1), "other_amount": D(1000001)}, "财政拨款"),
        ({"fiscal_amount": None, "other_amount": None}, "财政拨款"),
        ({"other_amount": D(100000)}, "资金总额"),  # 80万 + 10万 ≠ 100万
    ],
)
def test_bad_amounts_block(rules, amounts, column):
    problems = check_goal(goal(**amounts), rules)
    assert problems and all(p.blocking for p in problems)
    assert column in {p.column for p in problems}


def test_a_split_that_does_not_add_up_is_shown_in_wan_yuan(rules):
    (problem,) = check_goal(goal(other_amount=D(100000)), rules)
    assert problem.message == "财政拨款与其他资金合计 90.00 万元，不等于资金总额 100.00 万元"
    (problem,) = check_goal(goal(fiscal_amount=D("800000.5"), other_amount=D(0)), rules)
    assert "合计 80.00005 万元" in problem.message  # every decimal, so the gap shows


def test_blank_other_funds_count_as_zero(rules):
    assert check_goal(goal(fiscal_amount=D(1000000), other_amount=None), rules) == []
    assert check_goal(goal(fiscal_amount=None, other_amount=D(1000000)), rules) == []


def test_empty_overall_target_blocks(rules):
    problems = check_goal(goal(overall_target=" 。"), rules)
    assert [(p.column, p.blocking) for p in problems] == [("年度总体目标", True)]


def test_has_blocking(rules):
    assert not has_blocking(check_goal(goal(), rules))
    assert has_blocking(check_goal(goal(total_amount=None), rules))


# --- warnings ----------------------------------------------------------------------------


def test_different_split_warns(rules):
    rows = [
        replace(CLEAN[0], points=D(10)),
        *CLEAN[1:4],
        replace(CLEAN[4], points=D(20)),
    ]  # 产出 40 / 效益 30 / 满意度 20
    problems = check_goal(goal(rows), rules)
    assert len(problems) == 1 and not problems[0].blocking
    assert "产出指标 40" in problems[0].message and "满意度指标 20" in problems[0].message


@pytest.mark.parametrize(
    ("comparator", "warns"),
    [(Comparator.GE, True), (Comparator.GT, True), (Comparator.LE, False), (Comparator.EQ, False)],
)
def test_cost_indicator_comparator(rules, comparator, warns):
    problems = check_goal(goal(with_row(2, comparator=comparator)), rules)
    hits = found(problems, "成本指标应使用")
    assert bool(hits) is warns
    assert all(not p.blocking and p.row == 3 for p in hits)


def test_boilerplate_social_benefit_warns(rules):
    rows = with_row(3, name="社会效益明显", target=D(95), unit="%")
    problems = check_goal(goal(rows), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(4, "三级指标", False)]
    assert "≥95%" in problems[0].message


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "就业率", "target": "95", "unit": "%"},  # measurable
        {"name": "群众生活显著提升", "target": "300", "unit": "人"},  # not a percentage
        {"name": "群众生活显著提升", "comparator": Comparator.QUALITATIVE, "target": None},
    ],
)
def test_measurable_benefit_is_no_boilerplate(rules, changes):
    if "target" in changes and changes["target"] is not None:
        changes = {**changes, "target": D(changes["target"])}
    rows = with_row(3, **changes)
    if rows[3].comparator is Comparator.QUALITATIVE:
        rows[3] = replace(rows[3], target_text="生活明显改善", unit="")
    assert not found(check_goal(goal(rows), rules), "笼统表述")


def test_boilerplate_only_under_benefits(rules):
    rows = with_row(1, name="质量显著提升")  # ≥95% under 质量指标
    assert not found(check_goal(goal(rows), rules), "笼统表述")


def test_same_indicator_under_output_and_benefit_warns(rules):
    rows = with_row(3, name="培训 人数")
    problems = check_goal(goal(rows), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(4, "三级指标", False)]
    assert "第1行" in problems[0].message


def test_same_name_within_one_level1_is_not_this_warning(rules):
    rows = with_row(1, name="培训人数")
    assert not found(check_goal(goal(rows), rules), "重复设置")


@pytest.mark.parametrize("name", ["资金拨付率", "预算执行率", "资金支付进度"])
def test_payment_indicator_as_quantity_warns(rules, name):
    problems = check_goal(goal(with_row(0, name=name)), rules)
    assert [(p.row, p.column, p.blocking) for p in problems] == [(1, "二级指标", False)]


def test_payment_indicator_elsewhere_is_not_flagged(rules):
    rows = with_row(1, name="资金拨付率")  # 时效/质量 placement is not this finding
    assert not found(check_goal(goal(rows), rules), "资金支付")


def test_goal_text_copied_from_other_department_warns(rules):
    index = goal_text_index(
        [
            ("219002", "P900", "全年培训农村劳动力1200人， 促进就业300人"),
            ("219001", "P002", "全年培训农村劳动力1200人，促进就业300人。"),
        ]
    )
    problems = check_goal(goal(), rules, index)
    assert [(p.column, p.blocking) for p in problems] == [("年度总体目标", False)]
    assert "219002/P900" in problems[0].message and "P002" not in problems[0].message


def test_goal_text_from_own_department_is_not_flagged(rules):
    index = goal_text_index([("219001", "P002", "全年培训农村劳动力1200人，促进就业300人。")])
    assert check_goal(goal(), rules, index) == []


def test_normalize_goal_text():
    assert normalize_goal_text(" 完成 培训，促进就业。") == normalize_goal_text("完成培训促进就业")
    assert normalize_goal_text("完成培训") != normalize_goal_text("完成考核")


# --- spreading points --------------------------------------------------------------------


def rows_for(*level1s):
    return [ind(level1, "", f"指标{i}") for i, level1 in enumerate(level1s)]


def test_spread_50_over_3(rules):
    points = spread_points(rows_for("产出指标", "产出指标", "产出指标"), rules)
    assert points == [D("16.67"), D("16.67"), D("16.66")]
    assert sum(points) == 50


def test_spread_30_over_7(rules):
    points = spread_points(rows_for(*["效益指标"] * 7), rules)
    assert sum(points) == 30
    assert max(points) - min(points) == D("0.01")
    assert all(p == p.quantize(D("0.01")) for p in points)


def test_spread_mixed_groups_whole_points(rules):
    level1s = ["产出指标"] * 3 + ["效益指标"] * 7 + ["满意度指标"] * 3
    points = spread_points(rows_for(*level1s), rules, step=D(1))
    assert sum(points[:3]) == 50 and sum(points[3:10]) == 30 and sum(points[10:]) == 10
    assert points[10:] == [D(4), D(3), D(3)]
    assert all(p == p.to_integral_value() for p in points)


def test_spread_by_weights(rules):
    rows = rows_for("产出指标", "产出指标", "满意度指标")
    points = spread_points(rows, rules, weights=[D(1), D(4), D(0)])
    assert points == [D(10), D(40), D(10)]


def test_spread_largest_remainder_goes_to_largest_fraction(rules):
    rows = rows_for("满意度指标", "满意度指标", "满意度指标")
    # quotas 1.666.., 3.333.., 5 at whole points → 2, 3, 5
    points = spread_points(rows, rules, weights=[D(1), D(2), D(3)], step=D(1))
    assert points == [D(2), D(3), D(5)]


def test_spread_rejects_unknown_level1_and_bad_input(rules):
    with pytest.raises(UserError, match="第2行"):
        spread_points(rows_for("产出指标", "其他"), rules)
    with pytest.raises(UserError):
        spread_points(rows_for("产出指标"), rules, weights=[D(-1)])
    with pytest.raises(UserError):
        spread_points(rows_for("产出指标"), rules, step=D(3))  # 50 is no multiple of 3
    with pytest.raises(ValueError):
        spread_points(rows_for("产出指标"), rules, weights=[])


def test_spread_points_pass_the_goal_check(rules):
    rows = [*CLEAN, ind("效益指标", "经济效益指标", "增收", target="5", unit="万元")]
    points = spread_points(rows, rules)
    spread = [replace(row, points=p) for row, p in zip(rows, points, strict=True)]
    assert check_goal(goal(spread), rules) == []
