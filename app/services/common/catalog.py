"""Read-only listings the screens are built on: years, the department tree, project rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.enums import Scope
from app.storage.database import Database
from app.storage.models import Department, FiscalYear, Goal, Indicator, Project, Section


@dataclass(frozen=True)
class DepartmentNode:
    id: int
    code: str
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class SectionNode:
    id: int | None
    name: str
    departments: tuple[DepartmentNode, ...]


@dataclass(frozen=True)
class ProjectRow:
    id: int
    section: str
    department_id: int
    department_code: str
    department_name: str
    code: str
    name: str
    kind: str
    total_amount: Decimal
    status: str
    indicator_count: int


def list_years(db: Database) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(FiscalYear.year).order_by(FiscalYear.year)))


def section_tree(db: Database) -> list[SectionNode]:
    """Departments grouped by 股室, sections in their order; unassigned ones last."""
    with db.session() as session:
        sections = list(session.scalars(select(Section).order_by(Section.sort_order, Section.code)))
        departments = list(session.scalars(select(Department).order_by(Department.code)))
    by_section: dict[int | None, list[DepartmentNode]] = {}
    for d in departments:
        node = DepartmentNode(d.id, d.code, d.name, d.parent_id)
        by_section.setdefault(d.section_id, []).append(node)
    tree = [SectionNode(s.id, s.name, tuple(by_section.get(s.id, []))) for s in sections]
    if by_section.get(None):
        tree.append(SectionNode(None, "未分配股室", tuple(by_section[None])))
    return tree


def project_rows(db: Database, year: int) -> list[ProjectRow]:
    """Every live project of a year with its goal status and indicator count."""
    indicator_counts = (
        select(Indicator.goal_id, func.count(Indicator.id).label("n"))
        .group_by(Indicator.goal_id)
        .subquery()
    )
    stmt = (
        select(
            Project,
            Department,
            Section.name,
            Goal.status,
            func.coalesce(indicator_counts.c.n, 0),
        )
        .join(FiscalYear, Project.year_id == FiscalYear.id)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .outerjoin(
            Goal,
            (Goal.project_id == Project.id)
            & (Goal.scope == Scope.PROJECT.value)
            & Goal.deleted_at.is_(None),
        )
        .outerjoin(indicator_counts, indicator_counts.c.goal_id == Goal.id)
        .where(FiscalYear.year == year, Project.deleted_at.is_(None))
        .order_by(Department.code, Project.code)
    )
    with db.session() as session:
        return [
            ProjectRow(
                id=p.id,
                section=section or "",
                department_id=d.id,
                department_code=d.code,
                department_name=d.name,
                code=p.code,
                name=p.name,
                kind=p.kind,
                total_amount=p.total_amount,
                status=status or "未填报",
                indicator_count=n,
            )
            for p, d, section, status, n in session.execute(stmt)
        ]
