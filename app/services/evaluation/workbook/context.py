"""What the workbook is matched against: the year's projects, approved goals, evaluations.

Loaded with a handful of plain-column queries (no ORM objects): a county year has ~2,200
projects and ~25,000 indicators, and building ORM objects for them costs more than checking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.indicator_values import format_target
from app.services.evaluation import evaluation_key
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringRound,
    Project,
    Review,
    Section,
    SelfEvaluation,
    SelfEvaluationIndicator,
    SpotCheckSample,
)

HEAD_FIELDS = (
    "initial_budget", "annual_budget", "spent", "budget_fiscal", "budget_carryover",
    "budget_other", "spent_fiscal", "spent_carryover", "spent_other", "expected_outcome",
    "actual_outcome", "claimed_execution_score", "claimed_total", "claimed_grade",
)  # fmt: skip
ROW_FIELDS = (
    "indicator_id", "position", "level1", "level2", "name", "stated_target", "stated_points",
    "actual_value", "actual_text", "qualitative_band", "claimed_score", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class GoalIndicator:
    id: int
    position: int
    level1: str
    level2: str
    name: str
    comparator: Comparator
    target: Decimal | None
    target_text: str
    unit: str
    points: Decimal

    @property
    def shown_target(self) -> str:
        return format_target(self.comparator, self.target, self.unit, self.target_text)


@dataclass
class Existing:
    """A stored self-evaluation: head values, rows by id, and its review state."""

    id: int
    head: dict[str, Any]
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)  # row id → ROW_FIELDS
    review_status: str = ""


@dataclass
class Target:
    """One project (or department as a whole) a 项目 row can name."""

    key: str  # project code, or department code + -整体
    year: int
    year_id: int
    scope: Scope
    project_id: int | None
    department_id: int
    department_code: str
    department: str
    section_order: int
    name: str
    amount: Decimal  # 资金总额 of the project (or the department goal's budget)
    annual_budget: Decimal | None = None  # latest monitoring round's 调整后预算
    goal_status: str | None = None
    overall_target: str = ""
    indicators: list[GoalIndicator] = field(default_factory=list)
    evaluation: Existing | None = None

    @property
    def approved(self) -> bool:
        return self.goal_status == GoalStatus.APPROVED.value


def load_targets(
    session: Session, years: Iterable[int], department_ids: set[int] | None = None
) -> dict[tuple[int, str], Target]:
    """Targets by (year, key) for ``years`` (optionally only some departments)."""
    stmt = select(FiscalYear.id, FiscalYear.year).where(FiscalYear.year.in_(list(years)))
    year_ids: dict[int, int] = {row.id: row.year for row in session.execute(stmt)}
    if not year_ids:
        return {}
    targets: dict[tuple[int, str], Target] = {}
    for target in _projects(session, year_ids, department_ids):
        targets[target.year, target.key] = target
    _attach_goals(session, year_ids, targets, department_ids)
    by_project = {t.project_id: t for t in targets.values() if t.project_id is not None}
    _attach_budgets(session, year_ids, by_project)
    _attach_evaluations(session, year_ids, targets)
    return targets


def _projects(
    session: Session, year_ids: dict[int, int], department_ids: set[int] | None
) -> list[Target]:
    stmt = (
        select(Project, Department.code, Department.name, Section.sort_order)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(Project.year_id.in_(list(year_ids)), Project.deleted_at.is_(None))
    )
    if department_ids is not None:
        stmt = stmt.where(Project.department_id.in_(department_ids))
    return [
        Target(
            key=p.code,
            year=year_ids[p.year_id],
            year_id=p.year_id,
            scope=Scope.PROJECT,
            project_id=p.id,
            department_id=p.department_id,
            department_code=code,
            department=name,
            section_order=_order(order),
            name=p.name,
            amount=p.total_amount,
        )
        for p, code, name, order in session.execute(stmt)
    ]


def _order(section_order: int | None) -> int:
    return section_order if section_order is not None else 10**9  # unassigned last


def _attach_goals(
    session: Session,
    year_ids: dict[int, int],
    targets: dict[tuple[int, str], Target],
    department_ids: set[int] | None,
) -> None:
    """Goals (project ones onto their project, department ones as new targets)."""
    stmt = (
        select(Goal, Department.code, Department.name, Section.sort_order)
        .join(Department, Goal.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(Goal.year_id.in_(list(year_ids)), Goal.deleted_at.is_(None))
    )
    if department_ids is not None:
        stmt = stmt.where(Goal.department_id.in_(department_ids))
    by_project = {t.project_id: t for t in targets.values()}
    by_goal: dict[int, Target] = {}
    for goal, code, name, order in session.execute(stmt):
        if goal.scope == Scope.DEPARTMENT.value:
            year = year_ids[goal.year_id]
            target = Target(
                key=evaluation_key(goal.scope, None, code), year=year, year_id=goal.year_id,
                scope=Scope.DEPARTMENT, project_id=None, department_id=goal.department_id,
                department_code=code, department=name,
                section_order=_order(order),
                name=f"{name}部门整体支出", amount=goal.budget_amount or Decimal(0),
            )  # fmt: skip
            targets[year, target.key] = target
        else:
            found = by_project.get(goal.project_id)
            if found is None:
                continue  # a deleted project's goal
            target = found
        target.goal_status = goal.status
        target.overall_target = goal.overall_target
        by_goal[goal.id] = target
    stmt_ind = (
        select(Indicator)
        .where(Indicator.goal_id.in_(list(by_goal)))
        .order_by(Indicator.goal_id, Indicator.position)
    )
    for ind in session.scalars(stmt_ind):
        by_goal[ind.goal_id].indicators.append(_goal_indicator(ind))


def _goal_indicator(ind: Indicator) -> GoalIndicator:
    return GoalIndicator(
        id=ind.id,
        position=ind.position,
        level1=ind.level1,
        level2=ind.level2,
        name=ind.name,
        comparator=Comparator(ind.comparator),
        target=ind.target_value,
        target_text=ind.target_text or "",
        unit=ind.unit or "",
        points=ind.points,
    )


def _attach_budgets(
    session: Session, year_ids: dict[int, int], by_project: dict[int, Target]
) -> None:
    """The latest monitoring round's 调整后预算: the best guess of 全年预算数 for a template."""
    stmt = (
        select(MonitoringEntry.project_id, MonitoringEntry.adjusted_budget)
        .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
        .where(MonitoringRound.year_id.in_(list(year_ids)))
        .order_by(MonitoringRound.month)
    )
    for project_id, budget in session.execute(stmt):
        target = by_project.get(project_id)
        if target is not None:
            target.annual_budget = budget  # later months overwrite earlier ones


def _attach_evaluations(
    session: Session, year_ids: dict[int, int], targets: dict[tuple[int, str], Target]
) -> None:
    by_project = {t.project_id: t for t in targets.values() if t.project_id is not None}
    by_department = {
        (t.year_id, t.department_id): t for t in targets.values() if t.scope is Scope.DEPARTMENT
    }
    columns = [getattr(SelfEvaluation, name) for name in HEAD_FIELDS]
    stmt = select(
        SelfEvaluation.id, SelfEvaluation.scope, SelfEvaluation.project_id,
        SelfEvaluation.year_id, SelfEvaluation.department_id, *columns,
    ).where(SelfEvaluation.year_id.in_(list(year_ids)))  # fmt: skip
    by_id: dict[int, Existing] = {}
    for row in session.execute(stmt):
        if row.scope == Scope.DEPARTMENT.value:
            target = by_department.get((row.year_id, row.department_id))
        else:
            target = by_project.get(row.project_id)
        if target is None:
            continue
        existing = Existing(row.id, {name: getattr(row, name) for name in HEAD_FIELDS})
        target.evaluation = by_id[row.id] = existing
    if not by_id:
        return
    row_columns = [getattr(SelfEvaluationIndicator, name) for name in ROW_FIELDS]
    rows = (
        select(SelfEvaluationIndicator.id, SelfEvaluationIndicator.evaluation_id, *row_columns)
        .join(SelfEvaluation, SelfEvaluationIndicator.evaluation_id == SelfEvaluation.id)
        .where(SelfEvaluation.year_id.in_(list(year_ids)))
    )
    for row in session.execute(rows):
        if row.evaluation_id in by_id:
            values = {name: getattr(row, name) for name in ROW_FIELDS}
            by_id[row.evaluation_id].rows[row.id] = values
    reviews = (
        select(SpotCheckSample.evaluation_id, Review.status)
        .join(Review, Review.sample_id == SpotCheckSample.id)
        .where(SpotCheckSample.evaluation_id.in_(list(by_id)))
    )
    for evaluation_id, status in session.execute(reviews):
        by_id[evaluation_id].review_status = status
