"""回收站: deleting a project or goal only marks it; it can be restored until the bin is emptied.

A deleted project takes its goal with it (both get the same `deleted_at`, so restoring the
project brings back exactly what went with it, not a goal deleted earlier on its own).
Emptying the bin backs the database up first, then removes the rows for good, children
before parents, so it works with foreign keys ON and on PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.domain.numbers import wan
from app.services.common import audit
from app.services.common.backups import backup_before
from app.storage.database import Database
from app.storage.models import (
    BudgetAdjustment,
    Department,
    FiscalYear,
    Goal,
    GoalRevision,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    PreAssessment,
    Project,
    ReturnComment,
    Review,
    ReviewItem,
    SelfEvaluation,
    SelfEvaluationIndicator,
    SpotCheckSample,
)

PROJECT, GOAL = "project", "goal"
KIND_LABELS = {PROJECT: "项目", GOAL: "绩效目标"}


@dataclass(frozen=True)
class DeletedItem:
    kind: str  # "project" or "goal"
    id: int
    year: int
    code: str  # project code; a department-wide goal shows its department code
    name: str
    department: str
    deleted_at: datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class EmptyResult:
    backup_path: Path  # the state just before emptying
    projects: int
    goals: int


# Where an item is, as the audit trail shows it.
IN_BIN, LIVE, PURGED = {"位置": "回收站"}, {"位置": "正常"}, {"位置": "已彻底删除"}


def delete_project(db: Database, project_id: int, now: datetime | None = None) -> None:
    """Move a project (and its goal) to the recycle bin."""
    now = now or datetime.now()
    with db.transaction() as session:
        project = session.get(Project, project_id)
        if project is None or project.deleted_at is not None:
            raise UserError("该项目不存在或已在回收站中，请刷新后重试。")
        project.deleted_at = now
        goal = project.goal
        if goal is not None and goal.deleted_at is None:
            goal.deleted_at = now
        audit.record(
            session, "delete", PROJECT, project.id, _project_label(project), before=_state(project)
        )


def delete_goal(db: Database, goal_id: int, now: datetime | None = None) -> None:
    """Move a goal (with its indicators) to the recycle bin; its project stays."""
    with db.transaction() as session:
        goal = session.get(Goal, goal_id)
        if goal is None or goal.deleted_at is not None:
            raise UserError("该绩效目标不存在或已在回收站中，请刷新后重试。")
        goal.deleted_at = now or datetime.now()
        audit.record(session, "delete", GOAL, goal.id, _goal_label(goal), before=_goal_state(goal))


def list_deleted(db: Database, year: int | None = None) -> list[DeletedItem]:
    """What is in the bin, newest first. A goal that went with its project is not listed
    separately: restoring the project brings it back."""
    with db.session() as session:
        items = [DeletedItem(PROJECT, *row) for row in session.execute(_project_query(year))]
        for goal_id, year_, code, name, dept_code, dept_name, at in session.execute(
            _goal_query(year)
        ):
            shown_code, shown_name = (
                (code, name) if code else (dept_code, f"{dept_name}（部门整体）")
            )
            items.append(DeletedItem(GOAL, goal_id, year_, shown_code, shown_name, dept_name, at))
    return sorted(items, key=lambda i: (i.deleted_at, i.kind, i.id), reverse=True)


def restore_item(db: Database, kind: str, item_id: int) -> None:
    """Take a project (with the goal deleted together with it) or a goal out of the bin."""
    with db.transaction() as session:
        if kind == PROJECT:
            _restore_project(session, item_id)
        elif kind == GOAL:
            _restore_goal(session, item_id)
        else:
            raise ValueError(f"unknown recycle bin kind: {kind!r}")


def empty_recycle_bin(
    db: Database, year: int | None = None, now: datetime | None = None
) -> EmptyResult:
    """Delete the bin's projects and goals for good, after backing the database up."""
    backup = backup_before(db, "empty-recycle-bin", now)
    with db.transaction() as session:
        project_ids = list(session.scalars(_deleted_project_ids(year)))
        goal_ids = list(session.scalars(_purged_goal_ids(project_ids, year)))
        for kind, item_id, label in _purge_labels(session, project_ids, goal_ids):
            audit.record(session, "purge", kind, item_id, label, before=IN_BIN, after=PURGED)
        _purge(session, project_ids, goal_ids)
    return EmptyResult(backup, len(project_ids), len(goal_ids))


# -- restoring ------------------------------------------------------------------------------
def _restore_project(session: Session, project_id: int) -> None:
    project = session.get(Project, project_id)
    if project is None or project.deleted_at is None:
        raise UserError("该项目不在回收站中（可能已恢复或已彻底删除），请刷新后重试。")
    goal = project.goal
    if goal is not None and goal.deleted_at == project.deleted_at:
        goal.deleted_at = None
    project.deleted_at = None
    audit.record(
        session, "restore", PROJECT, project.id, _project_label(project), before=IN_BIN, after=LIVE
    )


def _restore_goal(session: Session, goal_id: int) -> None:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.deleted_at is None:
        raise UserError("该绩效目标不在回收站中（可能已恢复或已彻底删除），请刷新后重试。")
    if goal.project is not None and goal.project.deleted_at is not None:
        raise UserError(f"项目“{goal.project.name}”也在回收站中，请先恢复项目。")
    goal.deleted_at = None
    audit.record(session, "restore", GOAL, goal.id, _goal_label(goal), before=IN_BIN, after=LIVE)


# -- queries --------------------------------------------------------------------------------
def _project_query(year: int | None) -> Any:
    stmt = (
        select(
            Project.id,
            FiscalYear.year,
            Project.code,
            Project.name,
            Department.name,
            Project.deleted_at,
        )
        .join(FiscalYear, Project.year_id == FiscalYear.id)
        .join(Department, Project.department_id == Department.id)
        .where(Project.deleted_at.is_not(None))
    )
    return stmt.where(FiscalYear.year == year) if year is not None else stmt


def _goal_query(year: int | None) -> Any:
    stmt = (
        select(
            Goal.id,
            FiscalYear.year,
            Project.code,
            Project.name,
            Department.code,
            Department.name,
            Goal.deleted_at,
        )
        .join(FiscalYear, Goal.year_id == FiscalYear.id)
        .join(Department, Goal.department_id == Department.id)
        .outerjoin(Project, Goal.project_id == Project.id)
        .where(Goal.deleted_at.is_not(None), Project.deleted_at.is_(None))
    )
    return stmt.where(FiscalYear.year == year) if year is not None else stmt


def _deleted_project_ids(year: int | None) -> Any:
    stmt = select(Project.id).where(Project.deleted_at.is_not(None))
    if year is not None:
        stmt = stmt.where(Project.year_id.in_(_year_ids(year)))
    return stmt


def _purged_goal_ids(project_ids: list[int], year: int | None) -> Any:
    """Deleted goals in the year, plus every goal of a purged project (deleted or not)."""
    deleted: ColumnElement[bool] = Goal.deleted_at.is_not(None)
    if year is not None:
        deleted = deleted & Goal.year_id.in_(_year_ids(year))
    return select(Goal.id).where(deleted | Goal.project_id.in_(project_ids))


def _year_ids(year: int) -> Any:
    return select(FiscalYear.id).where(FiscalYear.year == year)


# -- purging --------------------------------------------------------------------------------
def _purge_labels(
    session: Session, project_ids: list[int], goal_ids: list[int]
) -> list[tuple[str, int, str]]:
    projects = session.scalars(select(Project).where(Project.id.in_(project_ids)))
    goals = session.scalars(
        select(Goal).where(
            Goal.id.in_(goal_ids),
            Goal.project_id.is_(None) | Goal.project_id.not_in(project_ids),
        )
    )
    return [(PROJECT, p.id, _project_label(p)) for p in projects] + [
        (GOAL, g.id, _goal_label(g)) for g in goals
    ]


def _purge(session: Session, project_ids: list[int], goal_ids: list[int]) -> None:
    """Delete children before parents; cascades are not relied on."""
    evaluations = select(SelfEvaluation.id).where(SelfEvaluation.project_id.in_(project_ids))
    samples = select(SpotCheckSample.id).where(SpotCheckSample.evaluation_id.in_(evaluations))
    reviews = select(Review.id).where(Review.sample_id.in_(samples))
    eval_indicators = select(SelfEvaluationIndicator.id).where(
        SelfEvaluationIndicator.evaluation_id.in_(evaluations)
    )
    indicators = select(Indicator.id).where(Indicator.goal_id.in_(goal_ids))
    entries = select(MonitoringEntry.id).where(MonitoringEntry.project_id.in_(project_ids))
    steps: list[Any] = [
        delete(ReviewItem).where(
            ReviewItem.review_id.in_(reviews)
            | ReviewItem.evaluation_indicator_id.in_(eval_indicators)
        ),
        delete(Review).where(Review.id.in_(reviews)),
        delete(SpotCheckSample).where(SpotCheckSample.id.in_(samples)),
        delete(SelfEvaluationIndicator).where(SelfEvaluationIndicator.id.in_(eval_indicators)),
        delete(SelfEvaluation).where(SelfEvaluation.id.in_(evaluations)),
        # An evaluation of a project that stays keeps its rows; only the link goes.
        update(SelfEvaluationIndicator)
        .where(SelfEvaluationIndicator.indicator_id.in_(indicators))
        .values(indicator_id=None),
        delete(MonitoringIndicator).where(
            MonitoringIndicator.entry_id.in_(entries)
            | MonitoringIndicator.indicator_id.in_(indicators)
        ),
        delete(MonitoringEntry).where(MonitoringEntry.id.in_(entries)),
        delete(PreAssessment).where(PreAssessment.project_id.in_(project_ids)),
        delete(BudgetAdjustment).where(BudgetAdjustment.project_id.in_(project_ids)),
        delete(ReturnComment).where(ReturnComment.goal_id.in_(goal_ids)),
        delete(GoalRevision).where(GoalRevision.goal_id.in_(goal_ids)),
        delete(Indicator).where(Indicator.goal_id.in_(goal_ids)),
        delete(Goal).where(Goal.id.in_(goal_ids)),
        delete(Project).where(Project.id.in_(project_ids)),
    ]
    for statement in steps:
        session.execute(statement.execution_options(synchronize_session=False))


# -- labels ---------------------------------------------------------------------------------
def _project_label(project: Project) -> str:
    return f"{project.code} {project.name}"


def _goal_label(goal: Goal) -> str:
    if goal.project is not None:
        return f"{goal.project.code} {goal.project.name} 的绩效目标"
    return f"{goal.department.name} 部门整体绩效目标"


def _state(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "department": project.department.name,
        "total_amount": f"{wan(project.total_amount)} 万元",
    }


def _goal_state(goal: Goal) -> dict[str, Any]:
    return {
        "status": goal.status,
        "overall_target": goal.overall_target,
        "指标数": len(goal.indicators),
    }
