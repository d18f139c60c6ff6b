"""Self-evaluations from the database as domain inputs (EvaluationInput), in two queries.

Decisions:
- The file's 年度指标值 and 分值 are scored (they are what the department evaluated
  against); the approved goal's terms go in as ApprovedTerms so a change is a flag, never
  a silent overwrite. A blank stated target means "as approved".
- A stated target without a comparator (``1200人``) takes the approved comparator; a
  stated target with no readable number scores 0 with the domain's flag.
- 定性 bands are read from ``qualitative_band`` (full wording or the short 达成 / 部分达成 /
  未达成), falling back to the 实际完成值 text.
- Department-wide evaluations (scope department) have no project: their key is the
  department code followed by ``-整体`` (see ``evaluation_key``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, Grade, QualitativeBand, Scope
from app.domain.indicator_values import format_target, normalize_name, parse_indicator_value
from app.domain.scoring import ApprovedTerms, EvaluationInput, IndicatorInput
from app.storage.models import (
    Department,
    FiscalYear,
    Indicator,
    Project,
    Section,
    SelfEvaluation,
    SelfEvaluationIndicator,
)

NO_SECTION = "未分配股室"
DEPARTMENT_SUFFIX = "-整体"
_ROW_COLUMNS = (
    "id", "evaluation_id", "level1", "level2", "name", "stated_target", "stated_points",
    "actual_value", "actual_text", "qualitative_band", "claimed_score", "reason",
)  # fmt: skip
_BAND_PREFIXES = (
    ("部分达成", QualitativeBand.PARTLY),
    ("未达成", QualitativeBand.MISSED),
    ("达成", QualitativeBand.ACHIEVED),
)


@dataclass(frozen=True)
class RowRef:
    """What the domain input does not carry about one indicator row."""

    id: int  # SelfEvaluationIndicator id
    target_text: str  # 指标值 as displayed (≥1200人, or the qualitative text)
    actual_text: str


@dataclass(frozen=True)
class LoadedEvaluation:
    id: int
    scope: Scope
    project_id: int | None
    key: str  # project code, or department code + 整体 suffix
    name: str
    department_id: int
    department_code: str
    department: str
    section_id: int | None
    section: str
    input: EvaluationInput
    rows: tuple[RowRef, ...]  # lines up with input.indicators


def evaluation_key(scope: str, project_code: str | None, department_code: str) -> str:
    if scope == Scope.DEPARTMENT.value or not project_code:
        return department_code + DEPARTMENT_SUFFIX
    return project_code


def parse_band(*texts: str) -> QualitativeBand | None:
    """A qualitative band from the first text that names one."""
    for raw in texts:
        if not raw:
            continue  # the common case, and normalize_name is not free
        text = normalize_name(raw)
        if not text:
            continue
        try:
            return QualitativeBand(text)
        except ValueError:
            pass
        for prefix, band in _BAND_PREFIXES:
            if text.startswith(prefix):
                return band
    return None


def parse_grade(text: str) -> Grade | None:
    try:
        return Grade(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


def load_evaluations(
    session: Session,
    *,
    year: int | None = None,
    project_code: str | None = None,
    evaluation_ids: Sequence[int] | None = None,
    with_rows: bool = True,
) -> list[LoadedEvaluation]:
    """Evaluations of a year, one project, or given ids, in section/department/code order.

    ``with_rows=False`` skips the indicator rows (the sample draw needs only the heads).
    """
    heads = session.execute(_filtered(_head_query(), year, project_code, evaluation_ids)).all()
    rows_by_evaluation: dict[int, list[Any]] = {}
    if with_rows:
        row_query = _filtered(_row_query(), year, project_code, evaluation_ids)
        for row in session.execute(row_query):
            rows_by_evaluation.setdefault(row.evaluation_id, []).append(row)
    loaded = [_build(head, rows_by_evaluation.get(head.SelfEvaluation.id, [])) for head in heads]
    loaded.sort(key=lambda e: (e.section_order, e.item.department_code, e.item.key))
    return [e.item for e in loaded]


def _head_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            SelfEvaluation,
            Department.code.label("dept_code"),
            Department.name.label("dept_name"),
            Section.id.label("section_id"),
            Section.name.label("section_name"),
            Section.sort_order.label("section_order"),
            Project.code.label("project_code"),
            Project.name.label("project_name"),
        )
        .join(Department, SelfEvaluation.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .outerjoin(Project, SelfEvaluation.project_id == Project.id)
    )


def _row_query() -> Select[*tuple[Any, ...]]:
    return (
        # Plain columns, not entities: building 26,000 ORM objects costs more than scoring.
        select(
            *(getattr(SelfEvaluationIndicator, name) for name in _ROW_COLUMNS),
            Indicator.comparator.label("a_comparator"),
            Indicator.target_value.label("a_target"),
            Indicator.target_text.label("a_text"),
            Indicator.unit.label("a_unit"),
            Indicator.points.label("a_points"),
        )
        .join(SelfEvaluation, SelfEvaluationIndicator.evaluation_id == SelfEvaluation.id)
        .outerjoin(Indicator, SelfEvaluationIndicator.indicator_id == Indicator.id)
        .outerjoin(Project, SelfEvaluation.project_id == Project.id)
        .order_by(SelfEvaluationIndicator.evaluation_id, SelfEvaluationIndicator.position)
    )


def _filtered(
    stmt: Select[*tuple[Any, ...]],
    year: int | None,
    code: str | None,
    ids: Sequence[int] | None,
) -> Select[*tuple[Any, ...]]:
    if year is not None:
        year_id = select(FiscalYear.id).where(FiscalYear.year == year).scalar_subquery()
        stmt = stmt.where(SelfEvaluation.year_id == year_id)
    if code is not None:
        stmt = stmt.where(Project.code == code)
    if ids is not None:
        stmt = stmt.where(SelfEvaluation.id.in_(list(ids)))
    return stmt


@dataclass(frozen=True)
class _Sortable:
    section_order: int
    item: LoadedEvaluation


def _build(head: Any, rows: list[Any]) -> _Sortable:
    ev: SelfEvaluation = head.SelfEvaluation
    pairs = [_indicator(row) for row in rows]
    evaluation = EvaluationInput(
        budget=ev.annual_budget,
        spent=ev.spent,
        indicators=tuple(p[0] for p in pairs),
        claimed_execution_score=ev.claimed_execution_score,
        claimed_total=ev.claimed_total,
        claimed_grade=parse_grade(ev.claimed_grade),
    )
    scope = Scope(ev.scope)
    name = head.project_name or f"{head.dept_name}部门整体支出"
    item = LoadedEvaluation(
        id=ev.id,
        scope=scope,
        project_id=ev.project_id,
        key=evaluation_key(ev.scope, head.project_code, head.dept_code),
        name=name,
        department_id=ev.department_id,
        department_code=head.dept_code,
        department=head.dept_name,
        section_id=head.section_id,
        section=head.section_name or NO_SECTION,
        input=evaluation,
        rows=tuple(p[1] for p in pairs),
    )
    # Unassigned departments sort last, like the catalog's section tree.
    order = head.section_order if head.section_id is not None else 10**9
    return _Sortable(order, item)


def _indicator(row: Any) -> tuple[IndicatorInput, RowRef]:
    """One row of the row query (the file's columns plus the approved indicator's)."""
    item = row
    approved = None
    if row.a_comparator:
        approved = ApprovedTerms(Comparator(row.a_comparator), row.a_target, row.a_points)
    band = parse_band(item.qualitative_band, item.actual_text)
    comparator, target, unit, text = _stated_terms(item.stated_target, approved, row, band)
    points = item.stated_points
    if points is None:
        points = approved.points if approved else Decimal(0)
    ind = IndicatorInput(
        level1=item.level1,
        level2=item.level2,
        name=item.name,
        comparator=comparator,
        target=target,
        unit=unit,
        points=points,
        actual=item.actual_value,
        actual_text=item.actual_text,
        band=band,
        claimed_score=item.claimed_score,
        reason=item.reason,
        approved=approved,
    )
    shown = format_target(comparator, target, unit, text)
    return ind, RowRef(item.id, shown, item.actual_text)


def _stated_terms(
    stated: str, approved: ApprovedTerms | None, row: Any, band: QualitativeBand | None
) -> tuple[Comparator, Decimal | None, str, str]:
    """(comparator, target, unit, text) to score: the file's, else the approved goal's."""
    approved_unit = row.a_unit or ""
    if not stated.strip():
        if approved is not None:
            return approved.comparator, approved.target, approved_unit, row.a_text or ""
        fallback = Comparator.QUALITATIVE if band is not None else Comparator.GE
        return fallback, None, "", ""
    parsed = parse_indicator_value(stated)
    if parsed.number is None and approved is not None and approved.target is not None:
        # The approved target written back unchanged, with a unit the parser cannot split
        # off (`≤851/10万`: digits in the unit): it is the approved target, not a blank one.
        shown = format_target(approved.comparator, approved.target, approved_unit)
        if normalize_name(stated) == normalize_name(shown):
            return approved.comparator, approved.target, approved_unit, row.a_text or ""
    comparator = parsed.comparator or (approved.comparator if approved else None)
    if comparator is None:
        comparator = Comparator.QUALITATIVE if parsed.number is None else Comparator.GE
    return comparator, parsed.number, parsed.unit or approved_unit, parsed.text
