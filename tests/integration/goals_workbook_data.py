"""A demo-like county for the goals workbook tests, and exact views of what is stored.

The views read the tables directly (not through the workbook services), so a round trip is
compared against an independent reading.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, Scope
from app.storage.database import Database
from app.storage.models import Department, FiscalYear, Goal, Indicator, Project
from tests.factories import STANDARD_INDICATORS, ProjectSpec, department, project_with_goal, year

YEAR = 2025
GOAL_TABLES = ("fiscal_years", "sections", "departments", "projects", "goals", "indicators")
QUALITATIVE = ("效益指标", "可持续影响指标", "长效管护机制", Comparator.QUALITATIVE, None, "", "0")


def goals_county(session: Session, statuses: tuple[GoalStatus, ...] | None = None) -> list[Project]:
    """Three units (one supervised by another) in two 股室, eight projects with varied
    goals (money split, 上级转移支付, long-term goal, qualitative indicator, explanations),
    and a department-wide goal. Statuses default to drafts and returned goals."""
    fy = year(session, YEAR)
    edu = department(session, "219001", "县教育局", "教科文股")
    school = department(session, "219002", "县第一中学", "教科文股")
    school.parent = edu
    farm = department(session, "301001", "县农业农村局", "农业农村股")
    statuses = statuses or (GoalStatus.DRAFT, GoalStatus.RETURNED)
    projects = []
    indicators = (
        *STANDARD_INDICATORS[:4],
        (*STANDARD_INDICATORS[4][:6], "20"),
        STANDARD_INDICATORS[5],
        (*QUALITATIVE[:6], "10"),
    )
    for n, dept in enumerate([edu, edu, edu, school, school, farm, farm, farm], start=1):
        spec = ProjectSpec(
            code=f"{dept.code}{YEAR}{n:03d}",
            name=f"{dept.name}项目{n}",
            amount_yuan=Decimal(123456789 + 1000 * n) / 100,
            status=statuses[n % len(statuses)],
            overall_target=f"{dept.name}第{n}个项目的年度总体目标：按期完成建设任务。",
            indicators=indicators,
        )
        project = project_with_goal(session, fy, dept, spec)
        project.other_amount = Decimal("1000.50") * (n % 3)
        project.fiscal_amount = project.total_amount - project.other_amount
        project.fund_level = "上级转移支付" if n % 4 == 0 else "本级"
        project.start_year, project.end_year = YEAR - n % 2, YEAR + n % 3
        goal = project.goal
        goal.long_term_target = "三年内全面完成。" if n % 2 else ""
        for ind in goal.indicators:
            ind.explanation = f"{ind.name}的解释"
            ind.standard_source = "计划标准"
            if ind.comparator == Comparator.QUALITATIVE.value:
                ind.target_text = "建立并有效运行"
        projects.append(project)
    dept_goal = Goal(
        scope=Scope.DEPARTMENT.value,
        year_id=fy.id,
        department_id=edu.id,
        overall_target="全面履行教育管理职责。",
        budget_amount=Decimal("98765432.10"),
        status=GoalStatus.DRAFT.value,
    )
    dept_goal.indicators = [
        Indicator(
            position=i,
            level1=l1,
            level2=l2,
            name=name,
            comparator=c.value,
            target_value=None if t is None else Decimal(t),
            unit=u,
            points=Decimal(p),
            target_text="",
        )
        for i, (l1, l2, name, c, t, u, p) in enumerate(STANDARD_INDICATORS, start=1)
    ]
    session.add(dept_goal)
    session.flush()
    return projects


def stored_goals(db: Database, year_value: int = YEAR) -> dict[str, Any]:
    """Every project and department goal of a year as comparable plain values."""
    result: dict[str, Any] = {}
    with db.session() as s:
        fy = s.scalar(select(FiscalYear).where(FiscalYear.year == year_value))
        if fy is None:
            return result
        for p in s.scalars(select(Project).where(Project.year_id == fy.id)):
            header = (
                p.department.code,
                p.name,
                p.kind,
                p.fund_source,
                p.fund_level,
                p.functional_class,
                p.start_year,
                p.end_year,
                p.total_amount,
                p.fiscal_amount,
                p.other_amount,
            )
            result[p.code] = (header, _goal(p.goal))
        for g in s.scalars(
            select(Goal).where(Goal.year_id == fy.id, Goal.scope == Scope.DEPARTMENT.value)
        ):
            result["部门整体:" + g.department.code] = _goal(g)
    return result


def _goal(goal: Goal | None) -> Any:
    if goal is None:
        return None
    rows = [
        (
            i.level1,
            i.level2,
            i.name,
            i.comparator,
            i.target_value,
            i.target_text,
            i.unit,
            i.points,
            i.explanation,
            i.standard_source,
        )
        for i in goal.indicators
    ]
    return (goal.overall_target, goal.long_term_target, goal.budget_amount, rows)


def departments(db: Database) -> dict[str, tuple[str, str, str]]:
    with db.session() as s:
        return {
            d.code: (d.name, d.parent.code if d.parent else "", d.section.name if d.section else "")
            for d in s.scalars(select(Department))
        }


def checksum(db: Database) -> tuple[dict[str, int], str]:
    """Row counts and a digest of every row of the goal tables (and the audit trail)."""
    digest = hashlib.sha256()
    counts = {}
    with db.engine.connect() as conn:
        for table in (*GOAL_TABLES, "audit_log"):
            rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            counts[table] = len(rows)
            for row in rows:
                digest.update(repr(tuple(row)).encode())
    return counts, digest.hexdigest()
