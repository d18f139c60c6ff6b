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
- The stated target is read from its parse, stored with the row when it was saved
  (``stated_parse``): a year's scoring parses no text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, Grade, QualitativeBand, Scope
from app.domain.indicator_values import IndicatorValue, format_target, normalize_name
from app.domain.scoring import ApprovedTerms, EvaluationInput, IndicatorInput
from app.services.common import live
from app.storage.models import (
    Department,
    Indicator,
    Project,
    Section,
    SelfEvaluation,
    SelfEvaluationIndicator,
)

NO_SECTION = "未分配股室"
DEPARTMENT_SUFFIX = "-整体"
_HEAD_COLUMNS = (
    "id", "scope", "project_id", "department_id", "annual_budget", "spent",
    "claimed_execution_score", "claimed_total", "claimed_grade",
)  # fmt: skip


class _Row(NamedTuple):
    """One row of the row query: the file's columns, then (a_*) the approved indicator's.

    A named tuple because a SQLAlchemy row's attribute costs ten times a tuple's, and a
    year reads 20 attributes of each of 20,000 rows.
    """

    id: int
    evaluation_id: int
    level1: str
    level2: str
    name: str
    stated_target: str
    stated_comparator: str
    stated_number: Decimal | None
    stated_unit: str
    stated_text: str
    stated_points: Decimal | None
    actual_value: Decimal | None
    actual_text: str
    qualitative_band: str
    claimed_score: Decimal | None
    reason: str
    a_comparator: str | None
    a_target_value: Decimal | None
    a_target_text: str | None
    a_unit: str | None
    a_points: Decimal | None


# Enum lookups by value: calling the enum class is slow, and a year makes 20,000 of them.
_COMPARATORS = {c.value: c for c in Comparator}
_SCOPES = {s.value: s for s in Scope}
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
    session.flush()  # what session.execute would do (autoflush) before reading
    # Core rows through the session's connection: the ORM's row loading would double the
    # time of a year's 20,000 rows, and these are plain columns, no entities.
    conn = session.connection()
    heads = conn.execute(_filtered(_head_query(), year, project_code, evaluation_ids)).all()
    built: dict[int, _Sortable] = {}
    if with_rows:
        # Rows come in evaluation order: each evaluation is built as its rows end, so the
        # year's 20,000 raw rows are never held at once.
        by_id = {head.id: head for head in heads}
        row_query = _filtered(_row_query(), year, project_code, evaluation_ids)
        rows = map(_Row._make, conn.execute(row_query))
        for evaluation_id, group in groupby(rows, key=attrgetter("evaluation_id")):
            if (head := by_id.get(evaluation_id)) is not None:
                built[evaluation_id] = _build(head, list(group))
    loaded = [built.get(head.id) or _build(head, []) for head in heads]
    loaded.sort(key=lambda e: (e.section_order, e.item.department_code, e.item.key))
    return [e.item for e in loaded]


def _head_query() -> Select[*tuple[Any, ...]]:
    return (
        # Plain columns, not entities: ORM objects cost more than the scoring itself.
        select(
            *(getattr(SelfEvaluation, name) for name in _HEAD_COLUMNS),
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
        .where(live.or_missing(Project))
    )


def _row_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            *(getattr(SelfEvaluationIndicator, f) for f in _Row._fields if not f.startswith("a_")),
            *(getattr(Indicator, f[2:]) for f in _Row._fields if f.startswith("a_")),
        )
        .join(SelfEvaluation, SelfEvaluationIndicator.evaluation_id == SelfEvaluation.id)
        .outerjoin(Indicator, SelfEvaluationIndicator.indicator_id == Indicator.id)
        .outerjoin(Project, SelfEvaluation.project_id == Project.id)
        .where(live.or_missing(Project))
        .order_by(SelfEvaluationIndicator.evaluation_id, SelfEvaluationIndicator.position)
    )


def _filtered(
    stmt: Select[*tuple[Any, ...]],
    year: int | None,
    code: str | None,
    ids: Sequence[int] | None,
) -> Select[*tuple[Any, ...]]:
    if year is not None:
        stmt = stmt.where(live.in_year(SelfEvaluation, year))
    if code is not None:
        stmt = stmt.where(Project.code == code)
    if ids is not None:
        stmt = stmt.where(SelfEvaluation.id.in_(list(ids)))
    return stmt


@dataclass(frozen=True)
class _Sortable:
    section_order: int
    item: LoadedEvaluation


def _build(head: Any, rows: list[_Row]) -> _Sortable:
    pairs = [_indicator(row) for row in rows]
    evaluation = EvaluationInput(
        budget=head.annual_budget,
        spent=head.spent,
        indicators=tuple(p[0] for p in pairs),
        claimed_execution_score=head.claimed_execution_score,
        claimed_total=head.claimed_total,
        claimed_grade=parse_grade(head.claimed_grade),
    )
    name = head.project_name or f"{head.dept_name}部门整体支出"
    item = LoadedEvaluation(
        id=head.id,
        scope=_SCOPES[head.scope],
        project_id=head.project_id,
        key=evaluation_key(head.scope, head.project_code, head.dept_code),
        name=name,
        department_id=head.department_id,
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


def _indicator(row: _Row) -> tuple[IndicatorInput, RowRef]:
    """One row of the row query (the file's columns plus the approved indicator's)."""
    approved = None
    if row.a_comparator and row.a_points is not None:  # both, or neither (outer join)
        approved = ApprovedTerms(_COMPARATORS[row.a_comparator], row.a_target_value, row.a_points)
    band = parse_band(row.qualitative_band, row.actual_text)
    comparator, target, unit, text = _stated_terms(row, approved, band)
    points = row.stated_points
    if points is None:
        points = approved.points if approved else Decimal(0)
    ind = IndicatorInput(
        level1=row.level1,
        level2=row.level2,
        name=row.name,
        comparator=comparator,
        target=target,
        unit=unit,
        points=points,
        actual=row.actual_value,
        actual_text=row.actual_text,
        band=band,
        claimed_score=row.claimed_score,
        reason=row.reason,
        approved=approved,
    )
    shown = format_target(comparator, target, unit, text)
    return ind, RowRef(row.id, shown, row.actual_text)


def stored_target(row: _Row) -> IndicatorValue:
    """The row's stated target as parsed when it was saved."""
    comparator = _COMPARATORS[row.stated_comparator] if row.stated_comparator else None
    return IndicatorValue(comparator, row.stated_number, row.stated_unit, row.stated_text)


def _stated_terms(
    row: _Row, approved: ApprovedTerms | None, band: QualitativeBand | None
) -> tuple[Comparator, Decimal | None, str, str]:
    """(comparator, target, unit, text) to score: the file's, else the approved goal's."""
    stated = row.stated_target
    approved_unit = row.a_unit or ""
    if not stated.strip():
        if approved is not None:
            return approved.comparator, approved.target, approved_unit, row.a_target_text or ""
        fallback = Comparator.QUALITATIVE if band is not None else Comparator.GE
        return fallback, None, "", ""
    parsed = stored_target(row)
    if parsed.number is None and approved is not None and approved.target is not None:
        # The approved target written back unchanged, with a unit the parser cannot split
        # off (`≤851/10万`: digits in the unit): it is the approved target, not a blank one.
        shown = format_target(approved.comparator, approved.target, approved_unit)
        if normalize_name(stated) == normalize_name(shown):
            return approved.comparator, approved.target, approved_unit, row.a_target_text or ""
    comparator = parsed.comparator or (approved.comparator if approved else None)
    if comparator is None:
        comparator = Comparator.QUALITATIVE if parsed.number is None else Comparator.GE
    return comparator, parsed.number, parsed.unit or approved_unit, parsed.text
