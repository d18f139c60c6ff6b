"""Reading the county's history: approved project goals of past years with their results.

One query gathers every indicator of the approved, live (not in the 回收站) project goals
of the years asked for, each with the actual its self-evaluation reported. Everything
else (typical values, a project's past, proposals, suggestions) is computed from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.history_checks import GoalHistory, PastResult
from app.domain.indicator_values import normalize_name
from app.domain.library_history import (
    HistoryRecord,
    TargetRow,
    Typical,
    field_of,
    typical_values,
)
from app.services.common import live
from app.storage.models import FiscalYear, Goal, Indicator, Project, SelfEvaluationIndicator


def history_records(
    session: Session,
    first_year: int,
    last_year: int,
    project_code: str | None = None,
    class_prefix: str | None = None,
) -> list[HistoryRecord]:
    """Indicators of approved project goals of first_year..last_year, with their actuals;
    only one project's, or only those whose 功能分类 starts with `class_prefix`, if given."""
    stmt = (
        select(
            FiscalYear.year,
            Project.code,
            Project.name,
            Project.functional_class,
            Indicator.level1,
            Indicator.level2,
            Indicator.name,
            Indicator.comparator,
            Indicator.target_value,
            Indicator.target_text,
            Indicator.unit,
            SelfEvaluationIndicator.id,
            SelfEvaluationIndicator.actual_value,
            SelfEvaluationIndicator.actual_text,
            SelfEvaluationIndicator.qualitative_band,
            Indicator.explanation,
        )
        .select_from(Indicator)
        .join(Goal, Indicator.goal_id == Goal.id)
        .join(Project, Goal.project_id == Project.id)
        .join(FiscalYear, Goal.year_id == FiscalYear.id)
        .outerjoin(SelfEvaluationIndicator, SelfEvaluationIndicator.indicator_id == Indicator.id)
        .where(
            FiscalYear.year.between(first_year, last_year),
            Goal.scope == Scope.PROJECT.value,
            Goal.status == GoalStatus.APPROVED.value,
            *live.only(Goal, Project),
        )
        .order_by(FiscalYear.year, Project.code, Indicator.position)
    )
    if project_code is not None:
        stmt = stmt.where(Project.code == project_code)
    if class_prefix is not None:
        stmt = stmt.where(Project.functional_class.startswith(class_prefix))
    return [_record(row) for row in session.execute(stmt)]


def typical_rows(
    session: Session, first_year: int, last_year: int, units: tuple[str, ...]
) -> list[TargetRow]:
    """Only what typical values are made of: numeric targets in units comparable across
    projects (rates, scores, unit costs), without results. Much less to read on open."""
    stmt = (
        select(Project.code, Indicator.level2, Indicator.name, Indicator.unit)
        # the stored text, made Decimal below: the column type's per-row hook is the slow part
        .add_columns(type_coerce(Indicator.target_value, String))
        .select_from(Indicator)
        .join(Goal, Indicator.goal_id == Goal.id)
        .join(Project, Goal.project_id == Project.id)
        .join(FiscalYear, Goal.year_id == FiscalYear.id)
        .where(
            FiscalYear.year.between(first_year, last_year),
            Goal.scope == Scope.PROJECT.value,
            Goal.status == GoalStatus.APPROVED.value,
            *live.only(Goal, Project),
            Indicator.target_value.is_not(None),
            Indicator.comparator.in_([c.value for c in Comparator if c.is_quantitative]),
            or_(Indicator.unit.in_(units), Indicator.unit.contains("/")),
        )
    )
    return [
        (code, level2, name, unit, Decimal(target))
        for code, level2, name, unit, target in session.execute(stmt)
    ]


def _record(row: Any) -> HistoryRecord:
    (year, code, pname, fclass, l1, l2, name, comp, target, ttext, unit) = row[:11]
    evaluation_id, actual, actual_text, band, explanation = row[11:]
    return HistoryRecord(
        year=year,
        project_code=code,
        project_name=pname,
        field=field_of(fclass or ""),
        level1=l1,
        level2=l2,
        name=name,
        comparator=Comparator(comp) if comp else None,
        target=target,
        target_text=ttext,
        unit=unit,
        actual=actual,
        actual_text=band or actual_text or "",
        evaluated=evaluation_id is not None,
        explanation=explanation,
    )


def past_by_project(records: Iterable[HistoryRecord]) -> dict[str, dict[str, list[PastResult]]]:
    """project code → indicator key → its earlier years, newest first."""
    result: dict[str, dict[str, list[PastResult]]] = {}
    for r in records:
        past = PastResult(r.year, r.comparator, r.target, normalize_name(r.unit), r.actual)
        result.setdefault(r.project_code, {}).setdefault(r.key, []).append(past)
    for by_key in result.values():
        for results in by_key.values():
            results.sort(key=lambda p: -p.year)
    return result


@dataclass(frozen=True)
class YearHistory:
    """What the history checks of one year's goals need, read once."""

    year: int
    typical: dict[tuple[str, str], Typical]
    past: dict[str, dict[str, list[PastResult]]]

    def for_project(self, project_code: str) -> GoalHistory:
        return GoalHistory(self.year, self.past.get(project_code, {}), self.typical)


def year_history(
    session: Session,
    year: int,
    years_back: int,
    units: tuple[str, ...],
    project_code: str | None = None,
) -> YearHistory:
    """Typical values over the county (in the comparable `units`) and the past of every
    project, or of one project when `project_code` is given (the editor's case)."""
    first = year - years_back
    typical = typical_values(typical_rows(session, first, year - 1, units))
    records = history_records(session, first, year - 1, project_code)
    return YearHistory(year, typical, past_by_project(records))
