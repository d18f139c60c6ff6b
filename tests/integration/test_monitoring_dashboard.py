"""The round's filtered list, the lagging list and the dashboard figures."""

from decimal import Decimal

import pytest

from app.domain.enums import Lamp
from app.services.common.recycle_bin import delete_project
from app.services.demo import build_demo
from app.services.monitoring import (
    EntryEdit,
    LampCounts,
    SectionLamps,
    dashboard,
    lagging,
    open_round,
    round_rows,
    update_entry,
)
from tests import factories

# Budgets: 219001001 100k, 219002001 200k, 301001001 100k, 301002001 200k.
MARCH = {"219001001": 25000}
JUNE = {"219001001": 50000, "219002001": 60000, "301002001": 100000}


def spend(db, rules, month, spent):
    for row in round_rows(db, 2025, month, rules):
        amount = Decimal(spent.get(row.project_code, 0))
        update_entry(db, row.entry_id, EntryEdit(row.adjusted_budget, amount), rules)


@pytest.fixture
def two_rounds(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 3, rules)
    spend(db, rules, 3, MARCH)
    open_round(db, 2025, 6, rules)
    spend(db, rules, 6, JUNE)
    return db


def codes(rows):
    return [row.project_code for row in rows]


def test_round_rows_filter_by_section_department_and_lamp(two_rounds, rules):
    assert codes(round_rows(two_rounds, 2025, 6, rules, section="农业农村股")) == [
        "301001001",
        "301002001",
    ]
    assert codes(round_rows(two_rounds, 2025, 6, rules, department="219002")) == ["219002001"]
    assert codes(round_rows(two_rounds, 2025, 6, rules, lamp=Lamp.YELLOW)) == ["219002001"]
    assert codes(round_rows(two_rounds, 2025, 6, rules, lamp=Lamp.BLUE)) == []


def test_lagging_lists_projects_behind_schedule_largest_gap_first(two_rounds, rules):
    rows = lagging(round_rows(two_rounds, 2025, 6, rules))
    assert [(row.project_code, row.gap) for row in rows] == [
        ("301001001", Decimal("0.5")),
        ("219002001", Decimal("0.2")),
    ]


def test_dashboard_figures_add_up(two_rounds, rules):
    board = dashboard(two_rounds, 2025, rules)

    assert board.latest_month == 6
    progress = {d.department_code: d for d in board.departments}
    assert [d.department_code for d in board.departments] == [
        "219001",
        "219002",
        "301001",
        "301002",
    ]
    assert progress["219002"].execution_rate == Decimal("0.3")
    assert progress["219002"].time_progress == Decimal("0.5")
    assert progress["301001"].gap == Decimal("0.5")
    assert sum(d.projects for d in board.departments) == 4

    sections = {s.section: s.lamps for s in board.sections}
    assert sections == {
        "教科文股": LampCounts(yellow=1, green=1),
        "农业农村股": LampCounts(red=1, green=1),
    }
    assert sum(lamps.total for lamps in sections.values()) == 4

    march, june = board.trend
    assert (march.month, march.time_progress, march.execution_rate) == (
        3,
        Decimal("0.25"),
        Decimal(25000) / Decimal(600000),
    )
    assert march.lamps == LampCounts(red=3, green=1)
    assert (june.budget, june.spent, june.execution_rate) == (
        Decimal(600000),
        Decimal(210000),
        Decimal("0.35"),
    )
    assert june.lamps.total == 4 == sum(lamps.total for lamps in sections.values())
    assert sum(d.spent for d in board.departments) == june.spent


def test_a_year_without_rounds_has_an_empty_dashboard(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    board = dashboard(db, 2025, rules)
    assert (board.latest_month, board.departments, board.sections, board.trend) == (
        None,
        (),
        (),
        (),
    )


@pytest.fixture
def demo_county(db, rules):
    """The demo county: six rounds a year, every lamp, a project in the 回收站."""
    build_demo(db, year=2025, seed=1, scale=0.05)
    delete_project(db, round_rows(db, 2025, 12, rules)[0].project_id)
    return db


def test_dashboard_agrees_with_every_rounds_rows(demo_county, rules):
    # The figures worked out from the rounds' rows (each entry read whole and explained),
    # the way the dashboard was computed before it was read one round at a time.
    board = dashboard(demo_county, 2025, rules)

    assert [t.month for t in board.trend] == [3, 6, 9, 10, 11, 12]
    rows_by_month = {t.month: round_rows(demo_county, 2025, t.month, rules) for t in board.trend}
    for t in board.trend:
        rows = rows_by_month[t.month]
        budget = sum((r.adjusted_budget for r in rows), Decimal(0))
        spent = sum((r.spent for r in rows), Decimal(0))
        assert (t.budget, t.spent) == (budget, spent)
        assert t.execution_rate == spent / budget
        assert t.lamps == LampCounts.of(r.project_lamp for r in rows)
    assert all(min(t.lamps.red, t.lamps.yellow, t.lamps.green, t.lamps.blue) for t in board.trend)
    latest = rows_by_month[12]
    sections: dict[str, list] = {}
    for r in latest:
        sections.setdefault(r.section, []).append(r.project_lamp)
    assert board.sections == tuple(
        SectionLamps(name, LampCounts.of(lamps)) for name, lamps in sections.items()
    )
    codes = sorted({r.department_code for r in latest})
    assert [d.department_code for d in board.departments] == codes
    for d in board.departments:
        members = [r for r in latest if r.department_code == d.department_code]
        assert (d.section, d.department_name, d.projects) == (
            members[0].section,
            members[0].department_name,
            len(members),
        )
        assert d.budget == sum((r.adjusted_budget for r in members), Decimal(0))
        assert d.spent == sum((r.spent for r in members), Decimal(0))
