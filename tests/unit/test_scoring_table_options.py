"""Rule-set options real tables use: rounding, the reverse formula, a 20-point execution
share, caps; and a claim differing only by the table's rounding is not flagged."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from app.domain.claims import same_as_printed
from app.domain.enums import Comparator, Grade
from app.domain.rules import ExecutionCap, RuleSet, load_rule_set
from app.domain.scoring import EvaluationInput, IndicatorInput, score_evaluation, score_indicator
from app.paths import default_rules_path

D = Decimal


def _rules(**scoring) -> RuleSet:
    rules = load_rule_set(default_rules_path())
    return dataclasses.replace(rules, scoring=dataclasses.replace(rules.scoring, **scoring))


def _missed(points: str = "20", claimed: str | None = None) -> IndicatorInput:
    return IndicatorInput(
        "产出指标", "数量指标", "补助学生人数", Comparator.GE, D(1200), "人", D(points),
        actual=D(1150), claimed_score=None if claimed is None else D(claimed), reason="有说明",
    )  # fmt: skip


def test_the_national_default_is_unchanged():
    rules = load_rule_set(default_rules_path())
    assert (rules.scoring.rounding, rules.scoring.reverse_formula) == ("none", "deviation")
    assert score_indicator(_missed(), rules).score == D("19.17")


def test_rounding_one_decimal_and_whole():
    assert score_indicator(_missed(), _rules(rounding="one_decimal")).score == D("19.2")
    whole = score_indicator(_missed(), _rules(rounding="whole"))
    assert whole.score == D("19") and "按规则集取整为 19" in whole.explanation


def test_reverse_formula_choice():
    ind = IndicatorInput(
        "产出指标", "成本指标", "生均成本", Comparator.LE, D(650), "元", D(10), actual=D(700),
        reason="物价上涨",
    )  # fmt: skip
    assert score_indicator(ind, _rules()).score == D("9.23")  # (1 − 50/650) × 10
    assert score_indicator(ind, _rules(reverse_formula="ratio")).score == D("9.29")  # 650/700


def test_a_claim_differing_only_by_the_tables_rounding_is_not_flagged():
    assert same_as_printed(D("19"), D("19.17"))
    assert same_as_printed(D("19.2"), D("19.17"))
    assert same_as_printed(D("19.00"), D("19.17"))  # stored with two places, written as 19
    assert not same_as_printed(D("20"), D("19.17"))
    assert not same_as_printed(D("19.16"), D("19.17"))
    rules = load_rule_set(default_rules_path())
    assert score_indicator(_missed(claimed="19"), rules).flags == ()
    flagged = score_indicator(_missed(claimed="20"), rules).flags
    assert any("未完成目标却自评满分" in f for f in flagged)


def test_twenty_point_execution_share_and_cap():
    rules = load_rule_set(default_rules_path())
    goals = dataclasses.replace(rules.goals, execution_points=D(20))
    capped = dataclasses.replace(
        rules, goals=goals,
        scoring=dataclasses.replace(rules.scoring, execution_caps=(ExecutionCap(D("0.6"), D(60)),)),
    )  # fmt: skip
    row = dataclasses.replace(_missed("80"), actual=D(1200))
    result = score_evaluation(EvaluationInput(D(100), D(50), (row,)), capped)
    assert result.execution.score == D("10.00")  # 50% × 20
    assert (result.uncapped_total, result.total, result.grade) == (D("90.00"), D(60), Grade.FAIR)
