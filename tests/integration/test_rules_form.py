"""The 规则集 form: values read from a year's text, written back keeping the comments, and
every wrong value reported with its group, label and key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import ValidationFailed
from app.services.common.rules_form import apply_form, field_of, form_fields, form_values
from app.services.common.year_rules import default_rules_text, parse_rules

TEXT = default_rules_text()


def test_the_form_shows_every_asked_value():
    values = form_values(TEXT)
    assert values["monitoring.months"] == "3,6,9,10,11,12"
    assert values["goals.level1.0.points"] == "50"  # 产出指标
    assert values["scoring.execution_caps"] == ""
    assert values["grades.优"] == "90" and values["results.差"] == "0.5"
    assert values["sampling.min_per_section"] == "1"
    assert values["pre_assessment.new_threshold_wan"] == "400"
    labels = [f.label for f in form_fields(TEXT)]
    assert "“产出指标”分值" in labels and "“满意度指标”分值" in labels


def test_saved_values_are_read_back_and_untouched_text_stays():
    values = form_values(TEXT) | {
        "monitoring.months": "3，6，9，10，11，12",  # a Chinese comma too
        "scoring.execution_caps": "0.6:60；0.8:80",
        "monitoring.budget_ratio_red": "0.55",
        "scoring.over_completion_mode": "deduct",
        "sampling.ratio": "0.3",
    }
    text = apply_form(TEXT, values)
    rules = parse_rules(text)
    assert rules.monitoring.months == (3, 6, 9, 10, 11, 12)
    assert [(c.below, c.max_total) for c in rules.scoring.execution_caps] == [
        (Decimal("0.6"), 60),
        (Decimal("0.8"), 80),
    ]
    assert rules.monitoring.budget_ratio_red == Decimal("0.55")
    assert rules.scoring.over_completion_mode == "deduct"
    assert rules.sampling.ratio == Decimal("0.3")
    assert "# 默认规则集" in text  # comments kept
    assert "over_completion_deduction = 0.0 #" in text  # an untouched value stays as written


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("sampling.ratio", "两成",
         "抽查复核 · 抽查比例（sampling.ratio）：应为数字，实际为“两成”"),
        ("sampling.min_per_section", "1.5",
         "每个股室至少抽取（个）（sampling.min_per_section）：应为整数"),
        ("monitoring.months", "3,13", "监控月份（monitoring.months）：应为1-12 的月份列表"),
        ("monitoring.budget_ratio_red", "0.9",
         "资金红灯界限（monitoring.budget_ratio_red）：红灯界限不应高于黄灯界限"),
        ("grades.良", "95",
         "等级 · “优”等级下限（分）（grades.优）：等级下限应按 优 > 良 > 中 > 差 递减"),
        ("goals.level1.1.points", "20",
         "“产出指标”分值（goals.level1.0.points）：一级指标分值合计 80"),
        ("scoring.execution_caps", "0.6-60",
         "执行率封顶（scoring.execution_caps）：“0.6-60”应写成 执行率:最高总分"),
        ("results.中", "2", "“中”等级预算调减比例（results.中）：应在 0 到 1 之间"),
        ("name", " ", "名称 · 规则集名称（name）：不能为空"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_named_by_its_field(key, typed, message):
    with pytest.raises(ValidationFailed) as caught:
        apply_form(TEXT, form_values(TEXT) | {key: typed})
    found = [p.message for p in caught.value.problems]
    assert any(message in m for m in found), found
    assert all(field_of(m, form_fields(TEXT)) is not None for m in found)


def test_every_problem_is_listed_at_once():
    typed = {"sampling.ratio": "x", "grades.优": "y", "monitoring.indicator_blue": "z"}
    with pytest.raises(ValidationFailed) as caught:
        apply_form(TEXT, form_values(TEXT) | typed)
    assert len(caught.value.problems) == 3


def test_typing_and_rule_problems_are_listed_together():
    typed = {"sampling.ratio": "x", "monitoring.budget_ratio_red": "0.9"}
    with pytest.raises(ValidationFailed) as caught:
        apply_form(TEXT, form_values(TEXT) | typed)
    keys = [field_of(p.message, form_fields(TEXT)).key for p in caught.value.problems]
    assert keys == ["sampling.ratio", "monitoring.budget_ratio_red"]
