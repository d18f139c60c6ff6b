"""The annual report's figures on the demo county, against the same figures read the long way.

The report gathers its figures with lean reads of its own; every figure it prints must equal
what the step's own screens show: the round's list (every lamp explained), the year's
scores, the 整改 ledger. Two projects with monitoring entries and self-evaluations are in
the 回收站 and must count nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.enums import Grade, Lamp, Scope
from app.domain.lamps import execution_rate, time_progress
from app.domain.money import round2
from app.domain.rectification import Status
from app.services.common.recycle_bin import delete_project
from app.services.demo import build_demo
from app.services.evaluation import score_year
from app.services.monitoring import list_rounds, round_rows
from app.services.rectification import ledger
from app.services.reports.annual_data import annual_report_data
from app.storage.database import open_database
from app.storage.models import FiscalYear, MonitoringEntry, MonitoringRound, SelfEvaluation

TODAY = dt.date(2026, 3, 5)
GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("annual") / "demo.sqlite3")
    build_demo(db, year=2025, seed=7, scale=0.05)
    with db.session() as s:
        monitored = (
            select(MonitoringEntry.project_id)
            .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
            .join(FiscalYear, MonitoringRound.year_id == FiscalYear.id)
            .where(FiscalYear.year == 2025)
        )
        binned = s.scalars(
            select(SelfEvaluation.project_id)
            .join(FiscalYear, SelfEvaluation.year_id == FiscalYear.id)
            .where(FiscalYear.year == 2025, SelfEvaluation.project_id.in_(monitored))
            .order_by(SelfEvaluation.project_id)
            .limit(2)
        ).all()
    assert len(binned) == 2
    for project_id in binned:
        delete_project(db, project_id)
    yield db
    db.close()


@pytest.fixture(scope="module")
def data(demo, rules):
    return annual_report_data(demo, 2025, rules, today=TODAY)


def test_every_round_counts_the_lamps_of_its_list(demo, rules, data):
    rounds = list_rounds(demo, 2025)
    assert data.monitoring is not None
    assert [r.month for r in data.monitoring.rounds] == [r.month for r in rounds]
    for figures, rnd in zip(data.monitoring.rounds, rounds, strict=True):
        rows = round_rows(demo, 2025, rnd.month, rules)
        lamps = Counter(row.project_lamp for row in rows)
        budget = sum((row.adjusted_budget for row in rows), Decimal(0))
        spent = sum((row.spent for row in rows), Decimal(0))
        assert figures.projects == len(rows)
        assert (figures.red, figures.yellow, figures.green, figures.blue) == (
            lamps[Lamp.RED],
            lamps[Lamp.YELLOW],
            lamps[Lamp.GREEN],
            lamps[Lamp.BLUE],
        )
        assert figures.execution_rate == execution_rate(budget, spent)
        assert figures.time_progress == time_progress(rnd.month)
    # Not vacuous: the demo's rounds light every colour.
    latest = data.monitoring.latest
    assert all((latest.red, latest.yellow, latest.green, latest.blue))


def test_sections_sum_the_latest_round_by_section(demo, rules, data):
    assert data.monitoring is not None
    rows = round_rows(demo, 2025, data.monitoring.latest.month, rules)
    rows.sort(key=lambda row: row.department_code)
    expected: dict[str, tuple[Decimal, Decimal]] = {}  # in order of first appearance
    for row in rows:
        budget, spent = expected.get(row.section, (Decimal(0), Decimal(0)))
        expected[row.section] = (budget + row.adjusted_budget, spent + row.spent)
    got = [(s.section, s.budget, s.spent, s.rate) for s in data.monitoring.sections]
    want = [(name, b, s, execution_rate(b, s)) for name, (b, s) in expected.items()]
    assert got == want
    assert len(got) > 1


def test_grades_and_average_are_the_years_scores(demo, rules, data):
    scores = score_year(demo, 2025, rules)
    projects = [s for s in scores if s.scope == Scope.PROJECT.value]
    e = data.evaluation
    assert e is not None
    assert (e.project_count, e.department_count) == (len(projects), len(scores) - len(projects))
    counts = Counter(s.grade for s in projects)
    assert e.grades == tuple(counts[g] for g in GRADES)
    assert e.average == round2(sum((s.total for s in projects), Decimal(0)) / len(projects))
    by_section: dict[str, list[Grade]] = {}
    for s in projects:
        by_section.setdefault(s.section, []).append(s.grade)
    assert [(x.section, x.count, x.grades) for x in e.sections] == [
        (name, len(grades), tuple(Counter(grades)[g] for g in GRADES))
        for name, grades in by_section.items()
    ]
    assert sum(1 for g in e.grades if g) >= 3 and e.department_count


def test_rectification_counts_the_ledger(demo, data):
    rows = ledger(demo, 2025, TODAY).rows
    r = data.rectification
    assert r is not None and rows
    stored = Counter(row.stored_status for row in rows)
    assert (r.items, r.done, r.in_progress, r.open) == (
        len(rows),
        stored[Status.DONE.value],
        stored[Status.IN_PROGRESS.value],
        stored[Status.OPEN.value],
    )
    assert r.overdue == sum(row.overdue for row in rows)
    assert all((r.done, r.in_progress, r.open, r.overdue))


def test_binned_projects_count_nowhere(demo, data):
    """Not vacuous: the binned projects' rows are still stored, and left out."""
    assert data.monitoring is not None and data.evaluation is not None
    latest = data.monitoring.latest.month
    with demo.session() as s:
        stored_entries = s.scalar(
            select(func.count(MonitoringEntry.id))
            .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
            .join(FiscalYear, MonitoringRound.year_id == FiscalYear.id)
            .where(FiscalYear.year == 2025, MonitoringRound.month == latest)
        )
        stored_evaluations = s.scalar(
            select(func.count(SelfEvaluation.id))
            .join(FiscalYear, SelfEvaluation.year_id == FiscalYear.id)
            .where(FiscalYear.year == 2025, SelfEvaluation.scope == Scope.PROJECT.value)
        )
    assert data.monitoring.latest.projects == stored_entries - 2
    assert data.evaluation.project_count == stored_evaluations - 2
