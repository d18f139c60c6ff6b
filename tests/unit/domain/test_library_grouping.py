"""Grouping the county's indicators by a conservative name key, with their figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.enums import Comparator
from app.domain.library_history import (
    HistoryRecord,
    field_of,
    group_history,
    indicator_key,
    is_met,
    median,
    typical_values,
)


@pytest.mark.parametrize(
    ("variants", "unit"),
    [
        (
            [
                "受益人数",
                "受益 人数",
                "★受益人数",
                "受益人数（人）",
                "受益人数(人)",
                "受益人数≥**人",
            ],
            "人",
        ),
        (["资金拨付及时率", "资金拨付及时比例", "资金拨付及时比率", "资金拨付及时率(≥95%)"], "%"),
        (["培训人次【人次】", "培训人次[人次]", "※培训人次", "培训　人次"], "人次"),
        (["设备购置单价（万元/台）", "设备购置单价", "设备购置单价≤XX万元"], "万元/台"),
    ],
)
def test_spellings_of_one_indicator_share_a_key(variants: list[str], unit: str) -> None:
    keys = {indicator_key(name, unit) for name in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("学生资助人数", "学生资助人次"),  # people vs visits: different counts
        ("农村饮水覆盖率", "农村饮水达标率"),  # different measures
        ("培训人数", "培训人均成本"),
        ("验收合格率", "验收优良率"),
        ("政策知晓率", "政策知晓人数"),
        ("补助标准（试行）", "补助标准"),  # a bracket that is not a unit stays
        ("道路维修（一期）", "道路维修（二期）"),
    ],
)
def test_near_names_that_mean_different_things_stay_apart(a: str, b: str) -> None:
    assert indicator_key(a) != indicator_key(b)


def test_unit_in_brackets_is_dropped_only_when_it_is_the_unit() -> None:
    assert indicator_key("建设面积（亩）", "亩") == "建设面积"
    assert indicator_key("建设面积（主城区）", "亩") == "建设面积(主城区)"


def test_field_from_functional_class() -> None:
    assert field_of("2050202") == "教育"
    assert field_of("2130153") == "农业农村"
    assert field_of("2130205") == "林业"  # the 款 wins over the 类
    assert field_of("2299999") == "功能分类229"
    assert field_of("") == "未分类"


@pytest.mark.parametrize(
    ("comparator", "target", "actual", "expected"),
    [
        (Comparator.GE, "95", "96", True),
        (Comparator.GE, "95", "94", False),
        (Comparator.GT, "10", "10", False),
        (Comparator.LE, "650", "600", True),  # a ceiling is met below it
        (Comparator.LE, "650", "700", False),
        (Comparator.LT, "5", "5", False),
    ],
)
def test_met_follows_the_direction(comparator, target, actual, expected) -> None:  # type: ignore[no-untyped-def]
    assert is_met(comparator, Decimal(target), Decimal(actual)) is expected


def test_met_is_unknown_without_a_result() -> None:
    assert is_met(Comparator.GE, Decimal(1), None) is None
    assert is_met(Comparator.GE, Decimal(1), Decimal(2), evaluated=False) is None
    assert is_met(Comparator.QUALITATIVE, None, None, "达成年度指标") is True
    assert is_met(Comparator.QUALITATIVE, None, None, "未达成年度指标且效果较差") is False


def _record(code: str, name: str, target: str, actual: str | None, year: int = 2024, **kw):  # type: ignore[no-untyped-def]
    return HistoryRecord(
        year=year,
        project_code=code,
        project_name=f"项目{code}",
        field=kw.get("field", "教育"),
        level1="产出指标",
        level2=kw.get("level2", "数量指标"),
        name=name,
        comparator=kw.get("comparator", Comparator.GE),
        target=Decimal(target),
        target_text="",
        unit=kw.get("unit", "人"),
        actual=None if actual is None else Decimal(actual),
        evaluated=actual is not None,
    )


def test_groups_count_projects_typical_targets_and_how_often_met() -> None:
    records = [
        _record("A", "受益人数", "100", "120"),
        _record("A", "受益人数（人）", "110", "100", year=2023),
        _record("B", "★受益人数", "300", "300"),
        _record("C", "受益 人数", "200", None),
        _record("D", "受益人次", "50", "60"),  # another indicator
        _record("E", "受益人数", "80", "90", field="民政"),  # another field
    ]
    groups = {(g.field, g.key): g for g in group_history(records)}
    g = groups[("教育", "受益人数")]
    assert g.projects == 3
    assert g.years == (2023, 2024)
    assert g.spread is not None
    assert (g.spread.median, g.spread.low, g.spread.high) == (Decimal(155), 100, 300)
    assert g.spread.unit == "人"
    assert (g.met, g.evaluated) == (2, 3)  # C has no self-evaluation
    assert g.name == "受益人数"
    assert set(g.variants) == {"受益人数（人）", "★受益人数"}
    assert g.typical == "≥155人（100–300）"
    assert g.examples[0].startswith("2024年 A 项目A：受益人数 ≥100人，实际 120人")
    assert len(g.examples) == 3
    assert ("教育", "受益人次") in groups and ("民政", "受益人数") in groups


def test_median_of_even_and_odd_counts() -> None:
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    assert median([Decimal(1), Decimal(2), Decimal(4), Decimal(10)]) == 3


def test_typical_value_is_the_median_in_the_most_used_unit_over_spellings() -> None:
    rows = [
        ("A", "质量指标", "验收合格率", "%", Decimal(90)),
        ("B", "质量指标", "验收合格比例", "%", Decimal(95)),
        ("C", "质量 指标", "★验收合格率", "%", Decimal(98)),
        ("C", "质量指标", "验收合格率", "%", Decimal(97)),  # the same project another year
        ("D", "质量指标", "验收合格率", "‰", Decimal(900)),  # a rarer unit is left out
        ("E", "数量指标", "验收合格率", "%", Decimal(10)),  # another 二级
    ]
    typical = typical_values(rows)
    quality = typical[("质量指标", "验收合格率")]
    assert (quality.unit, quality.median, quality.projects) == ("%", Decimal("96"), 3)
    assert typical[("数量指标", "验收合格率")].median == 10
