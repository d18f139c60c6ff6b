"""The round's filtered list, the lagging list and the dashboard figures."""

from decimal import Decimal

import pytest

from app.domain.enums import Lamp
from app.services.monitoring import (
    EntryEdit,
    LampCounts,
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
