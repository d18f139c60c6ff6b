"""Reading monitoring entries and lighting their lamps: two queries for any number of rounds.

Rows come back as plain named tuples (SQLAlchemy Row attribute access and enum
construction are measurable at 26,000 indicator rows), and the domain lights the lamps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, DeviationCategory
from app.domain.errors import UserError
from app.domain.lamps import (
    IndicatorProgress,
    QualitativeProgress,
    RoundEntry,
    RoundLamps,
    evaluate_round,
)
from app.domain.rules import RuleSet
from app.services.common import live
from app.storage.models import (
    Department,
    FiscalYear,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    Project,
    Section,
)


def fiscal_year(session: Session, year: int) -> FiscalYear:
    found = live.fiscal_year(session, year)
    if found is None:
        raise UserError(f"数据库中没有 {year} 年度，请先导入该年度的项目。")
    return found


def find_round(session: Session, year: int, month: int) -> MonitoringRound:
    stmt = select(MonitoringRound).where(
        live.in_year(MonitoringRound, year), MonitoringRound.month == month
    )
    found = session.scalar(stmt)
    if found is None:
        raise UserError(f"{year}年{month}月的监控轮次尚未开启，请先开启该轮监控。")
    return found


class EntryRecord(NamedTuple):
    """One entry as read (plain tuple fields: Row attribute access is slow at this volume)."""

    entry_id: int
    round_id: int
    initial_budget: Decimal
    adjusted_budget: Decimal
    spent: Decimal
    conclusion: str
    conclusion_note: str
    budget_deviation_category: str
    budget_deviation_reason: str
    budget_corrective_action: str
    month: int
    project_id: int
    project_code: str
    project_name: str
    department_code: str
    department_name: str
    section: str | None
    version: int


class IndicatorRecord(NamedTuple):
    id: int
    entry_id: int
    indicator_id: int
    current_value: Decimal | None
    current_text: str
    likelihood: str
    expected_value: Decimal | None
    deviation_category: str
    deviation_reason: str
    corrective_action: str
    level1: str
    level2: str
    name: str
    comparator: str
    target_value: Decimal | None
    target_text: str
    unit: str


_ENTRY_COLUMNS: dict[str, Any] = {
    "entry_id": MonitoringEntry.id,
    "round_id": MonitoringEntry.round_id,
    "initial_budget": MonitoringEntry.initial_budget,
    "adjusted_budget": MonitoringEntry.adjusted_budget,
    "spent": MonitoringEntry.spent,
    "conclusion": MonitoringEntry.conclusion,
    "conclusion_note": MonitoringEntry.conclusion_note,
    "budget_deviation_category": MonitoringEntry.budget_deviation_category,
    "budget_deviation_reason": MonitoringEntry.budget_deviation_reason,
    "budget_corrective_action": MonitoringEntry.budget_corrective_action,
    "month": MonitoringRound.month,
    "project_id": Project.id,
    "project_code": Project.code,
    "project_name": Project.name,
    "department_code": Department.code,
    "department_name": Department.name,
    "section": Section.name,
    "version": MonitoringEntry.version,
}
_INDICATOR_COLUMNS: dict[str, Any] = {
    **{name: getattr(MonitoringIndicator, name) for name in IndicatorRecord._fields[:10]},
    **{name: getattr(Indicator, name) for name in IndicatorRecord._fields[10:]},
}
# Stored vocabulary → enum; blank or unknown text maps to None and lights no lamp.
COMPARATORS = {c.value: c for c in Comparator}
QUALITATIVE = {q.value: q for q in QualitativeProgress}
CATEGORIES = {c.value: c for c in DeviationCategory}


class Evaluated(NamedTuple):
    """One entry as read, its indicator rows, the domain's input and its lamps."""

    record: EntryRecord
    items: list[IndicatorRecord]
    entry: RoundEntry
    lamps: RoundLamps


def evaluated(
    session: Session, round_ids: Sequence[int], rules: RuleSet, entry_id: int | None = None
) -> Iterator[Evaluated]:
    """Entries of the given rounds (or one entry) with lamps, by month, department, project."""
    by_entry: dict[int, list[IndicatorRecord]] = defaultdict(list)
    for raw in session.execute(_indicator_query(round_ids, entry_id)):
        item = IndicatorRecord._make(raw)
        by_entry[item.entry_id].append(item)
    for raw in session.execute(_entry_query(round_ids, entry_id)).all():
        record = EntryRecord._make(raw)
        items = by_entry.get(record.entry_id, [])
        progress = tuple(progress_of(item, n) for n, item in enumerate(items, start=1))
        entry = RoundEntry(
            record.month,
            record.adjusted_budget,
            record.spent,
            progress,
            budget_deviation_category=CATEGORIES.get(record.budget_deviation_category),
            budget_deviation_reason=record.budget_deviation_reason,
        )
        yield Evaluated(record, items, entry, evaluate_round(entry, rules))


def _entry_query(round_ids: Sequence[int], entry_id: int | None) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(*(_ENTRY_COLUMNS[name] for name in EntryRecord._fields))
        .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
        .join(Project, MonitoringEntry.project_id == Project.id)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(MonitoringEntry.round_id.in_(round_ids), *live.only(Project))
        .order_by(MonitoringRound.month, Department.code, Project.code)
    )
    return stmt if entry_id is None else stmt.where(MonitoringEntry.id == entry_id)


def _indicator_query(round_ids: Sequence[int], entry_id: int | None) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(*(_INDICATOR_COLUMNS[name] for name in IndicatorRecord._fields))
        .join(Indicator, MonitoringIndicator.indicator_id == Indicator.id)
        .join(MonitoringEntry, MonitoringIndicator.entry_id == MonitoringEntry.id)
        .where(MonitoringEntry.round_id.in_(round_ids))
        .order_by(MonitoringIndicator.entry_id, Indicator.position)
    )
    return stmt if entry_id is None else stmt.where(MonitoringEntry.id == entry_id)


def progress_of(item: IndicatorRecord, position: int) -> IndicatorProgress:
    return IndicatorProgress(
        name=item.name,
        level2=item.level2,
        comparator=COMPARATORS[item.comparator],
        annual_target=item.target_value,
        unit=item.unit,
        current_value=item.current_value,
        qualitative_progress=QUALITATIVE.get(item.current_text),
        deviation_category=CATEGORIES.get(item.deviation_category),
        deviation_reason=item.deviation_reason,
        row=position,
    )
