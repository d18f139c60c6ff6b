from decimal import Decimal

from app.domain.enums import Comparator, Scope
from app.domain.goal_checks import GoalDraft, IndicatorDraft, check_goal, has_blocking
from app.services.common.catalog import list_years, project_rows, section_tree
from tests import factories


def test_the_standard_goal_passes_every_blocking_check(rules):
    draft = GoalDraft(
        scope=Scope.PROJECT,
        overall_target="保障营养餐供应。",
        total_amount=Decimal(1000),
        fiscal_amount=Decimal(1000),
        other_amount=Decimal(0),
        indicators=tuple(
            IndicatorDraft(
                l1, l2, name, comp, None if t is None else Decimal(t), "", unit, Decimal(p)
            )
            for l1, l2, name, comp, t, unit, p in factories.STANDARD_INDICATORS
        ),
    )
    assert not has_blocking(check_goal(draft, rules))
    assert Comparator.GE in {i.comparator for i in draft.indicators}


def test_catalog_lists_years_sections_and_project_rows(db):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=2)
        factories.year(s, 2024)
    assert list_years(db) == [2024, 2025]
    tree = section_tree(db)
    assert [node.name for node in tree] == ["教科文股", "农业农村股"]
    assert [d.name for d in tree[0].departments] == ["县教育局", "县卫生健康局"]
    rows = project_rows(db, 2025)
    assert len(rows) == 8
    first = rows[0]
    assert (first.department_name, first.code, first.status, first.indicator_count) == (
        "县教育局",
        "219001001",
        "已通过",
        6,
    )
    assert first.total_amount == Decimal(100000)
    assert project_rows(db, 2024) == []
