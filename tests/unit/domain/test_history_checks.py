"""History checks on plain values: each finding, its direction, and the figures it says."""

from __future__ import annotations

from decimal import Decimal

from app.domain.enums import Comparator
from app.domain.goal_checks import IndicatorDraft
from app.domain.history_checks import (
    KIND_BELOW_LAST_ACTUAL,
    KIND_BELOW_TYPICAL,
    KIND_COST_ABOVE_TYPICAL,
    KIND_STEADY_OVERMET,
    GoalHistory,
    PastResult,
    Typical,
    check_history,
)
from app.domain.rules import HistoryRules

RULES = HistoryRules(
    years=3,
    min_projects=5,
    low_ratio=Decimal("0.8"),
    high_cost_ratio=Decimal("1.5"),
    steady_years=3,
    comparable_units=("%", "‰", "分"),
)
COST = ("成本指标",)


def _row(name: str, comparator: Comparator, target: str, unit: str, level2: str = "数量指标"):  # type: ignore[no-untyped-def]
    return IndicatorDraft(
        "产出指标", level2, name, comparator, Decimal(target), "", unit, Decimal(10)
    )


def _past(year: int, target: str, actual: str | None, unit: str = "人", comparator=Comparator.GE):  # type: ignore[no-untyped-def]
    return PastResult(
        year, comparator, Decimal(target), unit, None if actual is None else Decimal(actual)
    )


def _history(past=None, typical=None) -> GoalHistory:  # type: ignore[no-untyped-def]
    return GoalHistory(2025, past or {}, typical or {})


def _check(rows, history):  # type: ignore[no-untyped-def]
    return check_history(rows, history, RULES, COST)


# --- (a) target at or below last year's actual ---------------------------------------------


def test_target_at_or_below_last_years_actual_is_found_with_its_figures() -> None:
    history = _history({"受益人数": [_past(2024, "1000", "1200")]})
    rows = [
        _row("培训人数", Comparator.GE, "50", "人"),
        _row("★受益人数（人）", Comparator.GE, "1000", "人"),
    ]
    [finding] = _check(rows, history)
    assert finding.kind == KIND_BELOW_LAST_ACTUAL
    assert finding.row == 2
    assert finding.figures == {
        "指标": "★受益人数（人）",
        "本年目标": "≥1000人",
        "上年": "2024",
        "上年实际": "1200人",
        "上年目标": "≥1000人",
    }
    assert "≥1000人" in finding.message and "1200人" in finding.message
    problem = finding.problem()
    assert (problem.row, problem.column, problem.blocking) == (2, "指标值", False)


def test_target_equal_to_last_actual_is_found_and_above_it_is_not() -> None:
    history = _history({"受益人数": [_past(2024, "1000", "1200")]})
    assert _check([_row("受益人数", Comparator.GE, "1200", "人")], history)
    assert not _check([_row("受益人数", Comparator.GE, "1201", "人")], history)


def test_for_a_ceiling_easy_means_at_or_above_last_actual() -> None:
    history = _history({"完成时限": [_past(2024, "30", "20", "天", Comparator.LE)]})
    [finding] = _check([_row("完成时限", Comparator.LE, "25", "天", "时效指标")], history)
    assert finding.kind == KIND_BELOW_LAST_ACTUAL
    assert "上限" in finding.message and "20天" in finding.message
    assert not _check([_row("完成时限", Comparator.LE, "18", "天", "时效指标")], history)


def test_only_last_year_counts_and_units_must_match() -> None:
    older = _history({"受益人数": [_past(2023, "1000", "1200")]})
    assert not _check([_row("受益人数", Comparator.GE, "1000", "人")], older)
    other_unit = _history({"受益人数": [_past(2024, "10", "12", "万人")]})
    assert not _check([_row("受益人数", Comparator.GE, "10", "人")], other_unit)


def test_exact_amounts_and_full_rates_cannot_be_raised() -> None:
    history = _history(
        {
            "补助标准": [_past(2024, "650", "650", "元", Comparator.EQ)],
            "验收合格率": [_past(2024, "100", "100", "%")],
        }
    )
    rows = [
        _row("补助标准", Comparator.EQ, "650", "元"),
        _row("验收合格率", Comparator.GE, "100", "%", "质量指标"),
    ]
    assert _check(rows, history) == []


# --- (b) far below the county's typical value ----------------------------------------------


def test_target_far_below_the_typical_rate_is_found() -> None:
    typical = {("质量指标", "验收合格率"): Typical("%", Decimal(95), 12)}
    [finding] = _check(
        [_row("验收合格率", Comparator.GE, "70", "%", "质量指标")], _history(typical=typical)
    )
    assert finding.kind == KIND_BELOW_TYPICAL
    assert finding.figures["县内典型值"] == "95%" and finding.figures["项目数"] == "12"
    # 95 × 0.8 = 76 is the edge of the band
    assert not _check(
        [_row("验收合格率", Comparator.GE, "76", "%", "质量指标")], _history(typical=typical)
    )


def test_typical_needs_enough_projects_and_a_comparable_unit() -> None:
    few = {("质量指标", "验收合格率"): Typical("%", Decimal(95), 4)}
    assert not _check(
        [_row("验收合格率", Comparator.GE, "50", "%", "质量指标")], _history(typical=few)
    )
    totals = {("数量指标", "受益人数"): Typical("人", Decimal(1000), 40)}
    assert not _check([_row("受益人数", Comparator.GE, "10", "人")], _history(typical=totals))


# --- (c) cost far above the typical cost ---------------------------------------------------


def test_cost_far_above_the_typical_unit_cost_is_found() -> None:
    typical = {("成本指标", "培训人均成本"): Typical("元/人", Decimal(400), 9)}
    history = _history(typical=typical)
    [finding] = _check([_row("培训人均成本", Comparator.LE, "700", "元/人", "成本指标")], history)
    assert finding.kind == KIND_COST_ABOVE_TYPICAL
    assert finding.figures["县内典型值"] == "400元/人"
    assert "≤700元/人" in finding.message
    assert not _check([_row("培训人均成本", Comparator.LE, "600", "元/人", "成本指标")], history)
    # a low cost is not "far below the typical": for a cost, low is good
    assert not _check([_row("培训人均成本", Comparator.LE, "100", "元/人", "成本指标")], history)


# --- (d) met every year with an unchanged target -------------------------------------------


def _three_years(actuals: tuple[str, str, str], target: str = "95") -> GoalHistory:
    years = (2024, 2023, 2022)
    return _history(
        {"验收合格率": [_past(y, target, a, "%") for y, a in zip(years, actuals, strict=True)]}
    )


def test_met_three_years_with_an_unchanged_target_is_found() -> None:
    history = _three_years(("97", "99", "98"))
    findings = _check([_row("验收合格率", Comparator.GE, "95", "%", "质量指标")], history)
    steady = [f for f in findings if f.kind == KIND_STEADY_OVERMET]
    assert len(steady) == 1
    assert steady[0].figures["2022年实际"] == "98%"
    assert "连续 3 年" in steady[0].message


def test_a_missed_year_a_changed_target_or_a_gap_is_not_steady() -> None:
    row = [_row("验收合格率", Comparator.GE, "95", "%", "质量指标")]
    kinds = lambda h: {f.kind for f in _check(row, h)}  # noqa: E731
    assert KIND_STEADY_OVERMET not in kinds(_three_years(("97", "90", "98")))
    assert KIND_STEADY_OVERMET not in kinds(_three_years(("97", "99", "98"), target="90"))
    gap = _history({"验收合格率": [_past(y, "95", "99", "%") for y in (2024, 2023, 2021)]})
    assert KIND_STEADY_OVERMET not in kinds(gap)


def test_placeholders_and_qualitative_rows_are_skipped() -> None:
    history = _history({"受益人数": [_past(2024, "1", "9")]})
    rows = [
        IndicatorDraft("产出指标", "数量指标", "", None, None),
        IndicatorDraft(
            "效益指标", "社会效益指标", "受益人数", Comparator.QUALITATIVE, None, "明显"
        ),
    ]
    assert _check(rows, history) == []
