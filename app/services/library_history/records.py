"""Reading the county's history: approved project goals of past years with their results.

One query gathers every indicator of the approved, live (not in the 回收站) project goals
of the years asked for, each with the actual its self-evaluation reported. Everything
else (typical values, a project's past, proposals, suggestions) is computed from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.history_checks import GoalHistory, PastResult, Typical
from app.domain.indicator_values import normalize_level_label, normalize_name
from app.domain.library_history import HistoryRecord, field_of, median
from app.storage.models import FiscalYear, Goal, Indicator, Project, SelfEvaluationIndicator


def history_records(
    session: Session, first_year: int, last_year: int, project_code: str | None = None
) -> list[HistoryRecord]:
    """Indicators of approved project goals of first_year..last_year, with their actuals."""
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
            Goal.deleted_at.is_(None),
            Project.deleted_at.is_(None),
        )
        .order_by(FiscalYear.year, Project.code, Indicator.position)
    )
    if project_code is not None:
        stmt = stmt.where(Project.code == project_code)
    return [_record(row) for row in session.execute(stmt)]


def _record(row: Sequence[object]) -> HistoryRecord:
    (year, code, pname, fclass, l1, l2, name, comp, target, ttext, unit) = row[:11]
    evaluation_id, actual, actual_text, band = row[11:]
    return HistoryRecord(
        year=year,  # type: ignore[arg-type]
        project_code=code,  # type: ignore[arg-type]
        project_name=pname,  # type: ignore[arg-type]
        field=field_of(fclass or ""),  # type: ignore[arg-type]
        level1=l1,  # type: ignore[arg-type]
        level2=l2,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        comparator=Comparator(comp) if comp else None,
        target=target,  # type: ignore[arg-type]
        target_text=ttext,  # type: ignore[arg-type]
        unit=unit,  # type: ignore[arg-type]
        actual=actual,  # type: ignore[arg-type]
        actual_text=band or actual_text or "",  # type: ignore[operator]
        evaluated=evaluation_id is not None,
    )


def typical_values(records: Iterable[HistoryRecord]) -> dict[tuple[str, str], Typical]:
    """The county-wide typical target per (二级, key): the median in the most used unit."""
    by_key: dict[tuple[str, str], list[HistoryRecord]] = {}
    for r in records:
        if r.target is not None and r.comparator is not None and r.comparator.is_quantitative:
            by_key.setdefault((normalize_level_label(r.level2), r.key), []).append(r)
    result = {}
    for key, rs in by_key.items():
        units = Counter(normalize_name(r.unit) for r in rs)
        unit = min(u for u, n in units.items() if n == max(units.values()))
        same = [r for r in rs if normalize_name(r.unit) == unit]
        values = [r.target for r in same if r.target is not None]
        result[key] = Typical(unit, median(values), len({r.project_code for r in same}))
    return result


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


def year_history(session: Session, year: int, years_back: int) -> YearHistory:
    records = history_records(session, year - years_back, year - 1)
    return YearHistory(year, typical_values(records), past_by_project(records))
