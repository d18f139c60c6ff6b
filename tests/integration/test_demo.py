"""The demo county builder on a small scale: shape, plausibility, determinism, refusal, CLI."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import AssessmentConclusion, Comparator, GoalStatus
from app.domain.errors import UserError
from app.domain.progress import Progress
from app.domain.rules import RuleSet
from app.main import main
from app.services.assessment.records import AssessmentInput, check_assessment
from app.services.demo import DemoSummary, build_demo
from app.storage.database import Database, open_database
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringRound,
    PreAssessment,
    Project,
    SelfEvaluation,
    SelfEvaluationIndicator,
    Setting,
)

SCALE = 0.05
YEARS = (2024, 2025)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    summary = build_demo(database, year=2025, seed=7, scale=SCALE)
    yield database, summary
    database.close()


def _goals(db: Database, year: int) -> list[Goal]:
    with db.session() as s:
        stmt = select(Goal).join(FiscalYear).where(FiscalYear.year == year)
        goals = list(s.scalars(stmt))
        for g in goals:
            _ = g.indicators  # load while the session is open
        return goals


def test_two_years_and_the_organisation(built: tuple[Database, DemoSummary]) -> None:
    db, summary = built
    with db.session() as s:
        assert list(s.scalars(select(FiscalYear.year).order_by(FiscalYear.year))) == list(YEARS)
        settings = dict(s.execute(select(Setting.key, Setting.value)).all())
        departments = list(s.scalars(select(Department)))
    assert settings["county.name"] == "示例县"
    assert settings["county.bureau"] == "示例县财政局"
    assert summary.sections == 6
    assert 6 <= len(departments) <= 10
    assert all(len(d.code) == 6 and d.section_id for d in departments)
    assert summary.years == YEARS


def test_projects_per_year_with_codes_amounts_and_kinds(
    built: tuple[Database, DemoSummary],
) -> None:
    db, _ = built
    with db.session() as s:
        rows = s.execute(select(FiscalYear.year, Project).join(FiscalYear)).all()
    by_year = {y: [p for yy, p in rows if yy == y] for y in YEARS}
    for projects in by_year.values():
        assert 100 <= len(projects) <= 130
        assert len({p.code for p in projects}) == len(projects)
        assert {p.kind for p in projects} == {"新增", "延续"}
        for p in projects:
            assert Decimal(10_000) <= p.total_amount <= Decimal(50_000_000)
            assert p.fiscal_amount + p.other_amount == p.total_amount
            assert len(p.functional_class) == 7 and p.functional_class.startswith("2")
            assert p.start_year <= p.end_year
    codes_last = {p.code: p.name for p in by_year[2024]}
    continuing = [p for p in by_year[2025] if p.kind == "延续"]
    assert continuing and all(codes_last.get(p.code) == p.name for p in continuing)


def test_every_project_has_a_goal_of_8_to_15_indicators(
    built: tuple[Database, DemoSummary],
) -> None:
    db, _ = built
    for year in YEARS:
        goals = _goals(db, year)
        project_goals = [g for g in goals if g.scope == "project"]
        with db.session() as s:
            projects = s.scalar(
                select(func.count(Project.id)).join(FiscalYear).where(FiscalYear.year == year)
            )
        assert len(project_goals) == projects
        assert all(8 <= len(g.indicators) <= 15 for g in project_goals)
        assert all(g.overall_target for g in goals)


def test_approved_goals_follow_the_layout(
    built: tuple[Database, DemoSummary], rules: RuleSet
) -> None:
    db, _ = built
    goals = [g for y in YEARS for g in _goals(db, y) if g.status == GoalStatus.APPROVED]
    assert goals
    level1_names = {l1.name for l1 in rules.goals.level1}
    for goal in goals:
        assert sum(i.points for i in goal.indicators) == rules.goals.indicator_points
        assert {i.level1 for i in goal.indicators} == level1_names
        assert any(i.level2 == rules.goals.quantity_class for i in goal.indicators)
        for i in goal.indicators:
            assert rules.goals.level1_of(i.level2) == i.level1
            if i.comparator != Comparator.QUALITATIVE:
                assert i.target_value is not None and i.unit


def test_statuses_and_planted_flaws(built: tuple[Database, DemoSummary], rules: RuleSet) -> None:
    db, summary = built
    assert {g.status for g in _goals(db, 2024)} == {GoalStatus.APPROVED}
    current = _goals(db, 2025)
    statuses = Counter(g.status for g in current)
    assert statuses[GoalStatus.APPROVED] > len(current) * 0.7
    assert statuses[GoalStatus.SUBMITTED] and statuses[GoalStatus.RETURNED]
    assert all(g.return_reason for g in current if g.status == GoalStatus.RETURNED)
    cost = set(rules.goals.cost_classes)
    ge_cost = [g for g in current for i in g.indicators if i.level2 in cost and i.comparator == "≥"]
    bad_points = [g for g in current if sum(i.points for i in g.indicators) != 90]
    no_unit = [g for g in current for i in g.indicators if i.comparator != "定性" and i.unit == ""]
    assert ge_cost and bad_points and no_unit
    assert all(g.status == GoalStatus.SUBMITTED for g in bad_points + no_unit)
    assert summary.flawed_goals <= 6


def test_department_goals_for_every_department(built: tuple[Database, DemoSummary]) -> None:
    db, _ = built
    with db.session() as s:
        departments = s.scalar(select(func.count(Department.id)))
    for year in YEARS:
        dept_goals = [g for g in _goals(db, year) if g.scope == "department"]
        assert len(dept_goals) == departments
        assert all(g.budget_amount and g.budget_amount > 0 for g in dept_goals)


def test_pre_assessments_include_partial_support(built: tuple[Database, DemoSummary]) -> None:
    db, _ = built
    with db.session() as s:
        assessments = list(s.scalars(select(PreAssessment)))
    assert assessments
    partial = [a for a in assessments if a.conclusion == "部分支持"]
    assert partial and all(a.approved_amount < a.requested_amount for a in partial)
    # Every demo assessment passes the form's own checks, so it opens without complaints.
    inputs = [
        AssessmentInput(
            necessity=a.necessity,
            economy=a.economy,
            goal_reasonableness=a.goal_reasonableness,
            feasibility=a.feasibility,
            compliance=a.compliance,
            conclusion=AssessmentConclusion(a.conclusion),
            requested=a.requested_amount,
            approved=a.approved_amount,
            assessed_on=a.assessed_on,
            assessor=a.assessor,
            notes=a.notes,
        )
        for a in assessments
    ]
    assert [p for i in inputs for p in check_assessment(i)] == []


def test_monitoring_rounds_with_growing_spending(built: tuple[Database, DemoSummary]) -> None:
    db, _ = built
    with db.session() as s:
        rounds = s.execute(select(FiscalYear.year, MonitoringRound.month).join(FiscalYear)).all()
        assert sorted(rounds) == [(y, m) for y in YEARS for m in (3, 6, 9, 10, 11, 12)]
        entries = s.execute(
            select(MonitoringEntry.project_id, MonitoringRound.month, MonitoringEntry.spent)
            .join(MonitoringRound)
            .order_by(MonitoringEntry.project_id, MonitoringRound.month)
        ).all()
        approved = s.scalar(
            select(func.count(Goal.id)).where(Goal.scope == "project", Goal.status == "已通过")
        )
    spent: dict[int, list[Decimal]] = {}
    for project_id, _month, amount in entries:
        spent.setdefault(project_id, []).append(amount)
    assert len(spent) == approved
    assert all(len(v) == 6 and v == sorted(v) for v in spent.values())


def test_self_evaluations_spread_and_inflated_claims(built: tuple[Database, DemoSummary]) -> None:
    db, _ = built
    with db.session() as s:
        grades = Counter(s.scalars(select(SelfEvaluation.claimed_grade)))
        dept_evals = s.scalar(
            select(func.count(SelfEvaluation.id)).where(SelfEvaluation.scope == "department")
        )
        rows = s.execute(
            select(SelfEvaluationIndicator, Indicator).join(
                Indicator, SelfEvaluationIndicator.indicator_id == Indicator.id
            )
        )
        full_on_missed = sum(
            1
            for e, i in rows
            if i.comparator in ("≥", "=")
            and i.target_value
            and e.actual_value is not None
            and e.actual_value < i.target_value
            and e.claimed_score == e.stated_points
        )
    assert grades.most_common(1)[0][0] == "优"
    assert len(grades) >= 3
    assert full_on_missed > 0
    assert 12 <= dept_evals <= 36  # 2-3 per section and year


def _dump_hash(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        # The change feed names the seat that wrote (random per open) and when: not data.
        lines = (line for line in conn.iterdump() if '"change_feed"' not in line)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()
    finally:
        conn.close()


def test_same_seed_same_database_other_seed_differs(tmp_path: Path) -> None:
    hashes = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        database = open_database(tmp_path / f"{name}.sqlite3")
        build_demo(database, seed=seed, scale=SCALE)
        database.close()
        hashes.append(_dump_hash(tmp_path / f"{name}.sqlite3"))
    assert hashes[0] == hashes[1]
    assert hashes[0] != hashes[2]


def test_refuses_a_filled_database(built: tuple[Database, DemoSummary]) -> None:
    db, _ = built
    with pytest.raises(UserError, match="已有 2024 年或 2025 年的数据"):
        build_demo(db, scale=SCALE)
    with pytest.raises(UserError, match="已有预算单位"):
        build_demo(db, year=2030, scale=SCALE)


def test_rejects_a_bad_scale_and_reports_progress(db: Database) -> None:
    with pytest.raises(UserError, match="规模"):
        build_demo(db, scale=0)
    steps: list[tuple[int, int, str]] = []
    build_demo(db, scale=SCALE, progress=Progress(lambda d, t, m: steps.append((d, t, m))))
    assert len(steps) > 5 and steps[-1][0] == steps[-1][1]
    # The messages are shown to the user: Chinese, never table names.
    assert [m for _, _, m in steps if re.search(r"[A-Za-z_]{3,}", m)] == []


def test_cli_demo_then_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "cli.sqlite3")
    assert main(["--db", path, "demo", "--seed", "2", "--scale", str(SCALE)]) == 0
    out = capsys.readouterr().out
    assert "示例县" in out and "项目" in out and "秒" in out
    assert main(["--db", path, "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    years = {y["year"]: y for y in info["years"]}
    assert set(years) == set(YEARS)
    for y in years.values():
        assert 100 <= y["projects"] <= 130
        assert y["monitoring_rounds"] == 6 and y["monitoring_entries"] > 0
        assert y["self_evaluations"] > 0
    assert main(["--db", path, "demo", "--scale", str(SCALE)]) == 2
    assert "已有" in capsys.readouterr().err


def test_bureau_work_of_the_current_year(built: tuple[Database, DemoSummary], rules) -> None:
    """Key evaluations (10 department-wide at full scale; here as many as there are units),
    a 整改 ledger with items in every state and a 公开 record per unit with tables."""
    from datetime import date

    from app.services.disclosure import disclosure_records
    from app.services.key_evaluation import key_evaluation_summary
    from app.services.rectification import ledger

    db, summary = built
    key = key_evaluation_summary(db, 2025, rules)
    assert key.count == summary.key_evaluations
    assert key.by_kind["部门整体"] == min(10, summary.departments)
    assert key.by_kind["项目"] == 6 and 1 <= key.by_kind["政策"] <= 5
    assert key.finished == key.count and key.poor > 0 and key.grades["优"] > 0
    book = ledger(db, 2025, date(2026, 6, 1))
    assert len(book.rows) == summary.rectification_items
    assert all(n > 0 for n in book.counts.values()), book.counts  # every state, 逾期 included
    assert {r.source for r in book.rows} >= {"评价等级", "重点评价", "监控红灯"}
    records = disclosure_records(db, 2025)
    assert len(records) == summary.disclosure_records > 0
    assert all(r.goal_tables + r.evaluation_tables > 0 for r in records)
