"""What the draw knows about each self-evaluation (SampleCandidate), from the database.

Decisions:
- Amount is the 全年预算数 (A) of the self-evaluation; self total is the department's
  claimed 总分 (the must-include rule is about what was claimed).
- Last year's grade (same project code, or the same department's department-wide
  evaluation, in year − 1): the review grade where that one was reviewed, else the claimed
  grade, else the grade of the claimed total. Not re-scored: this year's rule set must not
  rewrite last year's published grades, and it spares scoring a second year.
- "Red at month N": the project's lamp (worst of budget and indicator lamps, domain
  ``evaluate_round``) in the monitoring round of month N of the same year.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, Grade, Lamp
from app.domain.indicator_values import normalize_name
from app.domain.lamps import IndicatorProgress, QualitativeProgress, RoundEntry, evaluate_round
from app.domain.rules import RuleSet
from app.domain.sampling import SampleCandidate
from app.services.common import live
from app.services.evaluation import LoadedEvaluation, evaluation_key
from app.services.evaluation.inputs import parse_grade
from app.services.spotcheck.views import REVIEWED
from app.storage.models import (
    Department,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    Project,
    Review,
    SelfEvaluation,
    SpotCheckSample,
)


def build_candidates(
    session: Session, loaded: Sequence[LoadedEvaluation], year: int, rules: RuleSet
) -> list[SampleCandidate]:
    sampling = rules.sampling
    last = last_year_grades(session, year - 1, rules) if sampling.must_include_last_grades else {}
    month = sampling.must_include_red_at_month
    red = red_projects(session, year, month, rules) if month else set()
    candidates = []
    for item in loaded:
        budget, spent = item.input.budget, item.input.spent
        candidates.append(
            SampleCandidate(
                project_code=item.key,
                section=item.section,
                amount=budget,
                self_total=item.input.claimed_total,
                execution_rate=execution_rate(budget, spent),
                last_year_grade=last.get(item.key),
                red_lamp_months=(month,) if item.key in red else (),
            )
        )
    return candidates


def last_year_grades(session: Session, year: int, rules: RuleSet) -> dict[str, Grade]:
    """Evaluation key → grade of ``year`` (see the module notes for which grade)."""
    stmt = (
        select(
            SelfEvaluation.scope,
            Project.code,
            Department.code,
            SelfEvaluation.claimed_grade,
            SelfEvaluation.claimed_total,
            Review.grade,
            Review.status,
        )
        .join(Department, SelfEvaluation.department_id == Department.id)
        .outerjoin(Project, SelfEvaluation.project_id == Project.id)
        .outerjoin(SpotCheckSample, SpotCheckSample.evaluation_id == SelfEvaluation.id)
        .outerjoin(Review, Review.sample_id == SpotCheckSample.id)
        .where(live.in_year(SelfEvaluation, year), live.or_missing(Project))
    )
    grades: dict[str, Grade] = {}
    for scope, code, dept_code, claimed, total, reviewed, status in session.execute(stmt):
        grade = parse_grade(reviewed or "") if status == REVIEWED else None
        grade = grade or parse_grade(claimed)
        if grade is None and total is not None:
            grade = rules.grade_for(total)
        if grade is not None:
            grades[evaluation_key(scope, code, dept_code)] = grade
    return grades


def red_projects(session: Session, year: int, month: int, rules: RuleSet) -> set[str]:
    """Codes of the projects whose lamp was red in the month-``month`` round of ``year``."""
    round_id = session.scalar(
        select(MonitoringRound.id).where(
            live.in_year(MonitoringRound, year), MonitoringRound.month == month
        )
    )
    if round_id is None:
        return set()
    entries = session.execute(
        select(
            MonitoringEntry.id, Project.code, MonitoringEntry.adjusted_budget, MonitoringEntry.spent
        )
        .join(Project, MonitoringEntry.project_id == Project.id)
        .where(MonitoringEntry.round_id == round_id, *live.only(Project))
    ).all()
    progress = _indicator_progress(session, round_id)
    red = set()
    for entry_id, code, budget, spent in entries:
        entry = RoundEntry(month, budget, spent, tuple(progress.get(entry_id, [])))
        if evaluate_round(entry, rules).project is Lamp.RED:
            red.add(code)
    return red


def _indicator_progress(session: Session, round_id: int) -> dict[int, list[IndicatorProgress]]:
    stmt = (
        select(MonitoringIndicator, Indicator)
        .join(Indicator, MonitoringIndicator.indicator_id == Indicator.id)
        .join(MonitoringEntry, MonitoringIndicator.entry_id == MonitoringEntry.id)
        .where(MonitoringEntry.round_id == round_id)
    )
    found: dict[int, list[IndicatorProgress]] = {}
    for mon, ind in session.execute(stmt):
        found.setdefault(mon.entry_id, []).append(
            IndicatorProgress(
                name=ind.name,
                level2=ind.level2,
                comparator=Comparator(ind.comparator),
                annual_target=ind.target_value,
                unit=ind.unit,
                current_value=mon.current_value,
                qualitative_progress=_qualitative(mon.current_text),
            )
        )
    return found


def _qualitative(text: str) -> QualitativeProgress | None:
    try:
        return QualitativeProgress(normalize_name(text)) if text.strip() else None
    except ValueError:
        return None


def execution_rate(budget: Decimal, spent: Decimal) -> Decimal | None:
    return spent / budget if budget > 0 else None
