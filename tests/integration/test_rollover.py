"""Rolling the year forward: continuing projects and goals become next year's drafts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.cli import build_parser, run_command
from app.domain.enums import GoalStatus, ProjectKind, Scope
from app.domain.errors import UserError
from app.services.common.rollover import roll_forward
from app.services.goals import load_goal
from app.storage.models import AuditEntry, FiscalYear, Goal, Indicator, Project
from tests import factories

NO_SATISFACTION = factories.STANDARD_INDICATORS[:5]


def _county(db) -> None:
    """2025: a 延续 project, a 新增 one running to 2026, a 新增 one ending in 2025, a
    deleted 延续 one, a 延续 one whose goal lacks 满意度, and a department-wide goal."""
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        spec = factories.ProjectSpec
        factories.project_with_goal(s, fy, dept, spec("P-CONT", amount_yuan=Decimal("1234.56")))
        multi = factories.project_with_goal(s, fy, dept, spec("P-MULTI", kind=ProjectKind.NEW))
        multi.end_year = 2026
        multi.pre_assessment_exempt, multi.exempt_reason = True, "上级指定：省定项目"
        factories.project_with_goal(s, fy, dept, spec("P-ENDS", kind=ProjectKind.NEW))
        gone = factories.project_with_goal(s, fy, dept, spec("P-GONE"))
        gone.deleted_at = datetime(2025, 5, 1)
        factories.project_with_goal(s, fy, dept, spec("P-THIN", indicators=NO_SATISFACTION))
        s.add(
            Goal(
                scope=Scope.DEPARTMENT.value, year_id=fy.id, department_id=dept.id,
                overall_target="完成年度任务。", budget_amount=Decimal("8800000.50"),
                status=GoalStatus.APPROVED.value, revision=3,
            )
        )  # fmt: skip


def _projects_2026(db) -> dict[str, Project]:
    with db.session() as s:
        stmt = select(Project).join(FiscalYear).where(FiscalYear.year == 2026)
        return {p.code: p for p in s.scalars(stmt)}


def test_roll_forward_copies_continuing_projects_and_goals_as_drafts(db, rules):
    _county(db)
    result = roll_forward(db, 2025, rules)
    assert (result.from_year, result.to_year) == (2025, 2026)
    assert result.copied == ("P-CONT", "P-MULTI", "P-THIN")
    assert (result.skipped, result.department_goals) == ((), 1)
    assert result.need_attention == ("P-THIN",)

    projects = _projects_2026(db)
    assert sorted(projects) == ["P-CONT", "P-MULTI", "P-THIN"]
    multi = projects["P-MULTI"]
    assert (multi.kind, multi.end_year, multi.pre_assessment_exempt) == ("延续", 2026, False)
    assert projects["P-CONT"].total_amount == Decimal("1234.56")

    with db.session() as s:
        goal_id = s.scalar(select(Goal.id).where(Goal.project_id == projects["P-CONT"].id))
        dept_goal = s.scalar(
            select(Goal).where(Goal.scope == Scope.DEPARTMENT.value, Goal.year_id == multi.year_id)
        )
        assert (dept_goal.status, dept_goal.revision) == ("草稿", 1)
        assert dept_goal.budget_amount == Decimal("8800000.50")
    copy = load_goal(db, goal_id)
    assert (copy.year, copy.status, copy.revision, copy.reviewer) == (2026, GoalStatus.DRAFT, 1, "")
    assert [(r.name, r.target, r.points) for r in copy.indicators] == [
        (name, Decimal(target), Decimal(points))
        for _, _, name, _, target, _, points in factories.STANDARD_INDICATORS
    ]
    assert copy.history == ()


def test_roll_forward_is_idempotent(db, rules):
    _county(db)
    roll_forward(db, 2025, rules)
    with db.session() as s:
        counts = [s.scalar(select(func.count(t.id))) for t in (Project, Goal, Indicator)]
    again = roll_forward(db, 2025, rules)
    assert (again.copied, again.department_goals) == ((), 0)
    assert again.skipped == ("P-CONT", "P-MULTI", "P-THIN")
    with db.session() as s:
        assert [s.scalar(select(func.count(t.id))) for t in (Project, Goal, Indicator)] == counts
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.object_label) for e in entries] == [
        ("建立年度", "2026"),
        ("年度结转", "2025→2026"),
        ("年度结转", "2025→2026"),
    ]
    assert '"复制项目": ["P-CONT", "P-MULTI", "P-THIN"]' in entries[1].after_json


def test_roll_forward_needs_the_source_year(db, rules):
    with pytest.raises(UserError, match="2019 年度不存在"):
        roll_forward(db, 2019, rules)


def test_rollover_command(db, capsys):
    _county(db)
    db.close()  # the command opens the file itself
    args = build_parser().parse_args(["--db", str(db.target), "rollover", "--from-year", "2025"])
    assert run_command(args) == 0
    out = capsys.readouterr().out
    assert "2025→2026：结转项目 3 个，已存在跳过 0 个，部门整体绩效目标 1 个" in out
    assert "P-THIN" in out
    args = build_parser().parse_args(["--db", str(db.target), "rollover", "--from-year", "2030"])
    assert run_command(args) == 2
    assert "2030 年度不存在" in capsys.readouterr().err
