"""What the database holds for one year, read in a few queries as plain data.

Both the import (to compare and to know ids) and the export read it, so a file written from
this state and read back compares equal to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Scope
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    Indicator,
    LibraryIndicator,
    Project,
    Section,
)

from .types import GoalContent, IndicatorContent, ProjectHeader


@dataclass(frozen=True)
class DepartmentState:
    id: int
    code: str
    name: str
    parent_code: str
    section: str


@dataclass
class GoalState:
    id: int
    status: str
    deleted: bool
    content: GoalContent
    indicator_ids: list[int] = field(default_factory=list)
    library_ids: list[int | None] = field(default_factory=list)


@dataclass
class ProjectState:
    id: int
    code: str
    department_code: str
    deleted: bool
    header: ProjectHeader
    goal: GoalState | None = None


@dataclass
class DbState:
    year: int | None
    year_id: int | None
    departments: dict[str, DepartmentState]
    sections: dict[str, int]
    projects: dict[str, ProjectState] = field(default_factory=dict)
    department_goals: dict[str, GoalState] = field(default_factory=dict)
    goal_texts: list[tuple[str, str, str]] = field(default_factory=list)  # dept, code, text
    library: dict[tuple[str, str, str], int] = field(default_factory=dict)


def load_state(session: Session, year: int | None) -> DbState:
    sections = dict(session.execute(select(Section.name, Section.id)).all())
    state = DbState(year, None, _departments(session), sections)
    state.library = _library(session)
    if year is None:
        return state
    state.year_id = session.scalar(select(FiscalYear.id).where(FiscalYear.year == year))
    if state.year_id is None:
        return state
    codes = {d.id: d.code for d in state.departments.values()}
    state.projects = _projects(session, state.year_id, codes)
    goals = _goals(session, state.year_id)
    by_project = {p.id: p for p in state.projects.values()}
    for goal, project_id, department_id, scope in goals:
        if scope == Scope.PROJECT.value and project_id in by_project:
            project = by_project[project_id]
            project.goal = goal
            if not goal.deleted and not project.deleted:
                state.goal_texts.append((project.department_code, project.code, _text(goal)))
        elif scope == Scope.DEPARTMENT.value:
            state.department_goals[codes[department_id]] = goal
    return state


def _text(goal: GoalState) -> str:
    return goal.content.overall_target


def _departments(session: Session) -> dict[str, DepartmentState]:
    rows = session.execute(
        select(Department.id, Department.code, Department.name, Department.parent_id, Section.name)
        .outerjoin(Section, Department.section_id == Section.id)
        .order_by(Department.code)
    ).all()
    codes = {row[0]: row[1] for row in rows}
    return {
        code: DepartmentState(id_, code, name, codes.get(parent, "") if parent else "", sec or "")
        for id_, code, name, parent, sec in rows
    }


def _library(session: Session) -> dict[tuple[str, str, str], int]:
    """Library ids by (一级, 二级, name) where exactly one entry has that key."""
    seen: dict[tuple[str, str, str], int | None] = {}
    stmt = select(
        LibraryIndicator.id, LibraryIndicator.level1, LibraryIndicator.level2, LibraryIndicator.name
    )
    for id_, level1, level2, name in session.execute(stmt):
        key = (level1, level2, name)
        seen[key] = None if key in seen else id_
    return {key: id_ for key, id_ in seen.items() if id_ is not None}


def _projects(session: Session, year_id: int, codes: dict[int, str]) -> dict[str, ProjectState]:
    stmt = select(Project).where(Project.year_id == year_id).order_by(Project.code)
    projects = {}
    for p in session.scalars(stmt):
        header = ProjectHeader(
            department_code=codes[p.department_id],
            name=p.name,
            kind=p.kind,
            fund_source=p.fund_source,
            fund_level=p.fund_level,
            functional_class=p.functional_class,
            start_year=p.start_year,
            end_year=p.end_year,
            total=p.total_amount,
            fiscal=p.fiscal_amount,
            other=p.other_amount,
        )
        deleted = p.deleted_at is not None
        projects[p.code] = ProjectState(p.id, p.code, header.department_code, deleted, header)
    return projects


_INDICATOR_COLUMNS = (
    Indicator.goal_id,
    Indicator.id,
    Indicator.library_indicator_id,
    Indicator.level1,
    Indicator.level2,
    Indicator.name,
    Indicator.comparator,
    Indicator.target_value,
    Indicator.target_text,
    Indicator.unit,
    Indicator.points,
    Indicator.explanation,
    Indicator.standard_source,
)


def _goals(session: Session, year_id: int) -> list[tuple[GoalState, int | None, int, str]]:
    """Every goal of the year (deleted ones too) with its indicators in order; plain column
    reads, because building 25,000 ORM objects would double the time of an import."""
    indicators: dict[int, list[tuple[Any, ...]]] = {}
    stmt = (
        select(*_INDICATOR_COLUMNS)
        .join(Goal, Indicator.goal_id == Goal.id)
        .where(Goal.year_id == year_id)
        .order_by(Indicator.goal_id, Indicator.position, Indicator.id)
    )
    for row in session.execute(stmt):
        indicators.setdefault(row[0], []).append(tuple(row))
    result = []
    for g in session.scalars(select(Goal).where(Goal.year_id == year_id).order_by(Goal.id)):
        rows = indicators.get(g.id, [])
        content = GoalContent(
            g.overall_target,
            g.long_term_target,
            g.budget_amount,
            tuple(IndicatorContent(*row[3:]) for row in rows),
        )
        state = GoalState(
            g.id,
            g.status,
            g.deleted_at is not None,
            content,
            [row[1] for row in rows],
            [row[2] for row in rows],
        )
        result.append((state, g.project_id, g.department_id, g.scope))
    return result


def department_codes_in_scope(
    departments: Iterable[DepartmentState], code: str | None
) -> list[DepartmentState]:
    """All departments, or one department with the units it supervises."""
    departments = list(departments)
    if code is None:
        return departments
    return [d for d in departments if code in (d.code, d.parent_code)]
