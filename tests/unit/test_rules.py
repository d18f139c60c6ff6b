import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.enums import Grade
from app.domain.errors import ValidationFailed
from app.domain.rules import load_rule_set, rule_set_from_dict
from app.paths import default_rules_path


def _default_data() -> dict:
    return tomllib.loads(default_rules_path().read_text(encoding="utf-8"), parse_float=Decimal)


def test_default_rule_set_matches_the_domain_defaults(rules):
    assert [(l1.name, l1.points) for l1 in rules.goals.level1] == [
        ("产出指标", 50),
        ("效益指标", 30),
        ("满意度指标", 10),
    ]
    assert rules.goals.execution_points == 10
    assert rules.goals.indicator_points == 90
    assert rules.sampling.ratio == Decimal("0.2")
    assert rules.monitoring.months == (3, 6, 9, 10, 11, 12)  # 四季度逐月
    assert rules.pre_assessment.new_threshold_yuan == Decimal(4_000_000)
    assert rules.cut_ratios[Grade.FAIR] == Decimal("0.2")
    assert rules.cut_ratios[Grade.POOR] == Decimal("0.5")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands_include_their_lower_bound(rules, total, grade):
    assert rules.grade_for(Decimal(total)) == Grade(grade)


def test_the_rule_set_is_frozen(rules):
    with pytest.raises(AttributeError):
        rules.name = "x"  # type: ignore[misc]


def test_a_province_layout_is_a_change_of_file_not_code():
    data = _default_data()
    data["goals"]["execution_points"] = 20
    data["goals"]["level1"][0]["points"] = 40
    rules = rule_set_from_dict(data)
    assert rules.goals.indicator_points == 80


def test_every_problem_is_reported_with_its_key():
    data = _default_data()
    data["sampling"]["ratio"] = Decimal("1.5")
    data["monitoring"]["budget_rule"] = "whatever"
    del data["grades"]["良"]
    with pytest.raises(ValidationFailed) as caught:
        rule_set_from_dict(data, "测试规则")
    text = caught.value.message
    assert "sampling.ratio" in text
    assert "monitoring.budget_rule" in text
    assert "grades.良" in text
    assert len(caught.value.problems) == 3


def test_points_that_do_not_add_up_are_refused():
    data = _default_data()
    data["goals"]["level1"][1]["points"] = 25
    with pytest.raises(ValidationFailed, match="一级指标分值合计 85"):
        rule_set_from_dict(data)


def test_grade_floors_must_decrease():
    data = _default_data()
    data["grades"]["良"] = 95
    with pytest.raises(ValidationFailed, match="递减"):
        rule_set_from_dict(data)


def test_a_broken_file_names_the_file(tmp_path: Path):
    path = tmp_path / "坏规则.toml"
    path.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"坏规则\.toml"):
        load_rule_set(path)


def test_a_missing_file_is_a_user_error(tmp_path: Path):
    with pytest.raises(ValidationFailed, match="无法读取"):
        load_rule_set(tmp_path / "none.toml")


def test_points_step_defaults_to_cents_when_a_rule_file_has_none(rules):
    assert rules.goals.points_step == Decimal("0.01")
    data = _default_data()
    del data["goals"]["points_step"]  # a province's file written before the option existed
    assert rule_set_from_dict(data).goals.points_step == Decimal("0.01")


@pytest.mark.parametrize("step", [Decimal("0.5"), 1])
def test_points_step_may_be_half_or_whole_points(step):
    data = _default_data()
    data["goals"]["points_step"] = step
    assert rule_set_from_dict(data).goals.points_step == Decimal(step)


def test_points_step_must_be_a_known_step_dividing_every_level1():
    data = _default_data()
    data["goals"]["points_step"] = Decimal("0.3")
    with pytest.raises(ValidationFailed) as caught:
        rule_set_from_dict(data, "测试规则")
    assert "goals.points_step：只能是 0.01、0.5 或 1，实际为 0.3" in caught.value.message
    data["goals"]["points_step"] = 1
    data["goals"]["level1"][0]["points"] = Decimal("49.5")
    data["goals"]["level1"][1]["points"] = Decimal("30.5")
    with pytest.raises(ValidationFailed) as caught:
        rule_set_from_dict(data, "测试规则")
    assert "一级指标“产出指标”的分值 49.5 不能按 1 分配" in caught.value.message


def test_history_bands_come_from_the_rule_set(rules):
    history = rules.history
    assert history is not None
    assert (history.years, history.min_projects, history.steady_years) == (3, 5, 3)
    assert history.low_ratio == Decimal("0.8")
    assert history.high_cost_ratio == Decimal("1.5")
    assert "%" in history.comparable_units


def test_a_rule_file_without_history_turns_the_history_checks_off():
    data = _default_data()
    del data["history"]
    assert rule_set_from_dict(data).history is None


def test_bad_history_bands_are_named():
    data = _default_data()
    data["history"]["low_ratio"] = Decimal("1.5")
    data["history"]["steady_years"] = 1
    with pytest.raises(ValidationFailed) as failed:
        rule_set_from_dict(data)
    text = str(failed.value)
    assert "history.low_ratio" in text and "history.steady_years" in text
