"""Work queues of the review: the goals of a year by status, and the goals a bulk action
names (project codes, one unit's, or a whole queue) for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.enums import GoalStatus
from app.domain.errors import UserError
from app.services.common import live
from app.storage.database import Database
from app.storage.models import Department, Goal, Project


@dataclass(frozen=True)
class QueueRow:
    goal_id: int
    project_code: str  # "" for a 部门整体 goal
    name: str  # project name, or "<unit>部门整体"
    department_code: str
    department: str
    status: GoalStatus


def goal_queue(
    db: Database,
    year: int,
    statuses: Sequence[GoalStatus] = (),
    department_code: str | None = None,
) -> list[QueueRow]:
    """Live goals of the year (project and 部门整体), by unit then project code; only the
    given statuses and unit when named. An unknown year or unit is a UserError."""
    with db.session() as session:
        year_id = live.year_id(session, year)
        if year_id is None:
            raise UserError(f"数据库中没有 {year} 年度。")
        stmt = (
            select(Goal, Project, Department)
            .join(Department, Goal.department_id == Department.id)
            .outerjoin(Project, Goal.project_id == Project.id)
            # A 部门整体 goal has no project: or_missing keeps it.
            .where(Goal.year_id == year_id, *live.only(Goal), live.or_missing(Project))
            .order_by(Department.code, Project.code)
        )
        if statuses:
            stmt = stmt.where(Goal.status.in_([s.value for s in statuses]))
        if department_code is not None:
            if (
                session.scalar(select(Department.id).where(Department.code == department_code))
                is None
            ):
                raise UserError(f"没有单位编码为“{department_code}”的单位。")
            stmt = stmt.where(Department.code == department_code)
        return [
            QueueRow(
                goal.id,
                project.code if project else "",
                project.name if project else f"{unit.name}部门整体",
                unit.code,
                unit.name,
                GoalStatus(goal.status),
            )
            for goal, project, unit in session.execute(stmt)
        ]


def goals_of_projects(db: Database, year: int, codes: Sequence[str]) -> list[int]:
    """The goal ids of the projects named by code, in the order given; every code that is
    not a project of the year, or has no goal yet, is named in one UserError."""
    by_code = {row.project_code: row for row in goal_queue(db, year) if row.project_code}
    with db.session() as session:
        known = set(
            session.scalars(
                select(Project.code).where(live.in_year(Project, year), *live.only(Project))
            )
        )
    problems = [
        f"项目 {code} 尚未填报绩效目标" if code in known else f"{year}年度没有项目编码“{code}”"
        for code in codes
        if code not in by_code
    ]
    if problems:
        raise UserError("；".join(problems) + "。")
    return [by_code[code].goal_id for code in dict.fromkeys(codes)]
