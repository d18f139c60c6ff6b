"""Counts per table and per year, for `info` and the status bar."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.services.common import live
from app.storage.database import Database
from app.storage.models import (
    Base,
    FiscalYear,
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringRound,
    Project,
    SelfEvaluation,
)


@dataclass(frozen=True)
class YearCounts:
    year: int
    projects: int
    project_goals: int
    department_goals: int
    indicators: int
    monitoring_rounds: int
    monitoring_entries: int
    self_evaluations: int


@dataclass(frozen=True)
class DatabaseInfo:
    path: str
    schema_revision: str
    tables: dict[str, int] = field(default_factory=dict)
    years: list[YearCounts] = field(default_factory=list)


def database_info(db: Database) -> DatabaseInfo:
    from app.storage import migrate

    with db.session() as session:
        tables = {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in sorted(Base.metadata.tables.items())
        }
        years = [
            _year_counts(session, fy)
            for fy in session.scalars(select(FiscalYear).order_by(FiscalYear.year))
        ]
        revision = migrate.current_revision(session.connection()) or ""
    return DatabaseInfo(str(db.path or db.url), revision, tables, years)


def _count(session, stmt) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _year_counts(session, fy: FiscalYear) -> YearCounts:  # type: ignore[no-untyped-def]
    live_projects = select(Project.id).where(Project.year_id == fy.id, *live.only(Project))
    goals = select(Goal.id).where(Goal.year_id == fy.id, *live.only(Goal))
    return YearCounts(
        year=fy.year,
        projects=_count(session, live_projects),
        project_goals=_count(session, goals.where(Goal.scope == "project")),
        department_goals=_count(session, goals.where(Goal.scope == "department")),
        indicators=_count(session, select(Indicator.id).where(Indicator.goal_id.in_(goals))),
        monitoring_rounds=_count(
            session, select(MonitoringRound.id).where(MonitoringRound.year_id == fy.id)
        ),
        monitoring_entries=_count(
            session,
            select(MonitoringEntry.id)
            .join(MonitoringRound)
            .where(MonitoringRound.year_id == fy.id),
        ),
        self_evaluations=_count(
            session, select(SelfEvaluation.id).where(SelfEvaluation.year_id == fy.id)
        ),
    )
