"""The round's project list with lamps: loaded in two queries, lamps lit by the domain.

Design decisions:
- Rows are loaded per round (or per set of rounds, for the dashboard's trend) with one
  query for the entries and one for their indicators, whatever the number of projects.
- The schema has no place for a reason behind a red or yellow *budget* lamp (only
  indicators carry 偏差原因), so that lamp's reason cannot block closing: it is reported
  as a non-blocking notice. Indicator reasons are blocking, located by project code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, DeviationCategory, Lamp
from app.domain.errors import Problem, UserError
from app.domain.indicator_values import format_number, format_target
from app.domain.lamps import (
    IndicatorProgress,
    QualitativeProgress,
    RoundEntry,
    RoundLamps,
    evaluate_round,
    missing_reasons,
    time_progress,
)
from app.domain.rules import RuleSet
from app.storage.database import Database
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

NO_SECTION = "未分配股室"
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class IndicatorLampRow:
    id: int  # monitoring_indicators.id
    indicator_id: int
    level1: str
    level2: str
    name: str
    target: str  # display form, e.g. "≥1200人"
    current: str  # display form of the current value or qualitative progress
    current_value: Decimal | None
    current_text: str
    likelihood: str
    expected_value: Decimal | None
    lamp: Lamp | None
    explanation: str
    deviation_category: str
    deviation_reason: str
    corrective_action: str


@dataclass(frozen=True)
class ProjectMonitoringRow:
    entry_id: int
    round_id: int
    month: int
    project_id: int
    project_code: str
    project_name: str
    section: str
    department_code: str
    department_name: str
    initial_budget: Decimal
    adjusted_budget: Decimal  # A
    spent: Decimal  # B
    execution_rate: Decimal | None  # B/A as a fraction; None when A is 0
    time_progress: Decimal  # month/12 as a fraction
    budget_lamp: Lamp | None
    budget_explanation: str
    project_lamp: Lamp | None
    indicators: tuple[IndicatorLampRow, ...]
    reasons: tuple[str, ...]  # "指标：类别——原因；纠偏措施：…" for each stated reason
    notices: tuple[str, ...]  # city-rule notices and the budget-lamp notice
    missing_reasons: tuple[Problem, ...]  # blocking ones prevent closing the round
    conclusion: str
    conclusion_note: str

    @property
    def gap(self) -> Decimal | None:
        """How far spending lags 序时进度 (positive = behind), as a fraction."""
        return None if self.execution_rate is None else self.time_progress - self.execution_rate


def fiscal_year(session: Session, year: int) -> FiscalYear:
    found = session.scalar(select(FiscalYear).where(FiscalYear.year == year))
    if found is None:
        raise UserError(f"数据库中没有 {year} 年度，请先导入该年度的项目。")
    return found


def find_round(session: Session, year: int, month: int) -> MonitoringRound:
    stmt = (
        select(MonitoringRound)
        .join(FiscalYear, MonitoringRound.year_id == FiscalYear.id)
        .where(FiscalYear.year == year, MonitoringRound.month == month)
    )
    found = session.scalar(stmt)
    if found is None:
        raise UserError(f"{year}年{month}月的监控轮次尚未开启，请先开启该轮监控。")
    return found


def round_rows(
    db: Database,
    year: int,
    month: int,
    rules: RuleSet,
    *,
    section: str | None = None,
    department: str | None = None,
    lamp: Lamp | None = None,
) -> list[ProjectMonitoringRow]:
    """Every project of the round with its lamps, optionally filtered (see filter_rows)."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        rows = load_rows(session, [rnd.id], rules)
    return filter_rows(rows, section=section, department=department, lamp=lamp)


def filter_rows(
    rows: Iterable[ProjectMonitoringRow],
    *,
    section: str | None = None,
    department: str | None = None,
    lamp: Lamp | None = None,
) -> list[ProjectMonitoringRow]:
    """Rows of a 股室 (by name), a department (by code) and/or with a given project lamp."""
    return [
        row
        for row in rows
        if (section is None or row.section == section)
        and (department is None or row.department_code == department)
        and (lamp is None or row.project_lamp is lamp)
    ]


def lagging(rows: Iterable[ProjectMonitoringRow]) -> list[ProjectMonitoringRow]:
    """Projects spending behind 序时进度, the largest gap first (ties by project code)."""
    behind = [row for row in rows if row.gap is not None and row.gap > 0]
    return sorted(behind, key=lambda row: (-(row.gap or 0), row.project_code))


def load_rows(
    session: Session, round_ids: Sequence[int], rules: RuleSet, entry_id: int | None = None
) -> list[ProjectMonitoringRow]:
    """Rows of the given rounds (or of one entry), ordered by department and project code."""
    entries = _entry_query(round_ids, entry_id)
    indicators = _indicator_query(round_ids, entry_id)
    by_entry: dict[int, list[Row[Any]]] = defaultdict(list)
    for item in session.execute(indicators):
        by_entry[item.entry_id].append(item)
    return [_build_row(e, by_entry.get(e.entry_id, []), rules) for e in session.execute(entries)]


def _entry_query(round_ids: Sequence[int], entry_id: int | None) -> Select[Any]:
    stmt = (
        select(
            MonitoringEntry.id.label("entry_id"),
            MonitoringEntry.round_id,
            MonitoringEntry.initial_budget,
            MonitoringEntry.adjusted_budget,
            MonitoringEntry.spent,
            MonitoringEntry.conclusion,
            MonitoringEntry.conclusion_note,
            MonitoringRound.month,
            Project.id.label("project_id"),
            Project.code.label("project_code"),
            Project.name.label("project_name"),
            Department.code.label("department_code"),
            Department.name.label("department_name"),
            Section.name.label("section"),
        )
        .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
        .join(Project, MonitoringEntry.project_id == Project.id)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(MonitoringEntry.round_id.in_(round_ids))
        .order_by(MonitoringRound.month, Department.code, Project.code)
    )
    return stmt if entry_id is None else stmt.where(MonitoringEntry.id == entry_id)


def _indicator_query(round_ids: Sequence[int], entry_id: int | None) -> Select[Any]:
    stmt = (
        select(
            MonitoringIndicator.id,
            MonitoringIndicator.entry_id,
            MonitoringIndicator.indicator_id,
            MonitoringIndicator.current_value,
            MonitoringIndicator.current_text,
            MonitoringIndicator.likelihood,
            MonitoringIndicator.expected_value,
            MonitoringIndicator.deviation_category,
            MonitoringIndicator.deviation_reason,
            MonitoringIndicator.corrective_action,
            Indicator.level1,
            Indicator.level2,
            Indicator.name,
            Indicator.comparator,
            Indicator.target_value,
            Indicator.target_text,
            Indicator.unit,
        )
        .join(Indicator, MonitoringIndicator.indicator_id == Indicator.id)
        .join(MonitoringEntry, MonitoringIndicator.entry_id == MonitoringEntry.id)
        .where(MonitoringEntry.round_id.in_(round_ids))
        .order_by(MonitoringIndicator.entry_id, Indicator.position)
    )
    return stmt if entry_id is None else stmt.where(MonitoringEntry.id == entry_id)


def _enum_or_none(enum: type[E], value: str) -> E | None:
    """A stored vocabulary value as its enum; blank or unknown text lights no lamp."""
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _progress(item: Row[Any], position: int) -> IndicatorProgress:
    return IndicatorProgress(
        name=item.name,
        level2=item.level2,
        comparator=Comparator(item.comparator),
        annual_target=item.target_value,
        unit=item.unit,
        current_value=item.current_value,
        qualitative_progress=_enum_or_none(QualitativeProgress, item.current_text),
        deviation_category=_enum_or_none(DeviationCategory, item.deviation_category),
        deviation_reason=item.deviation_reason,
        row=position,
    )


def _build_row(e: Row[Any], items: list[Row[Any]], rules: RuleSet) -> ProjectMonitoringRow:
    progress = tuple(_progress(item, n) for n, item in enumerate(items, start=1))
    entry = RoundEntry(e.month, e.adjusted_budget, e.spent, progress)
    lamps = evaluate_round(entry, rules)
    indicators = tuple(
        _indicator_row(item, result.lamp, result.explanation)
        for item, result in zip(items, lamps.indicators, strict=True)
    )
    return ProjectMonitoringRow(
        entry_id=e.entry_id,
        round_id=e.round_id,
        month=e.month,
        project_id=e.project_id,
        project_code=e.project_code,
        project_name=e.project_name,
        section=e.section or NO_SECTION,
        department_code=e.department_code,
        department_name=e.department_name,
        initial_budget=e.initial_budget,
        adjusted_budget=e.adjusted_budget,
        spent=e.spent,
        execution_rate=None if e.adjusted_budget == 0 else e.spent / e.adjusted_budget,
        time_progress=time_progress(e.month),
        budget_lamp=lamps.budget.lamp,
        budget_explanation=lamps.budget.explanation,
        project_lamp=lamps.project,
        indicators=indicators,
        reasons=tuple(_reason_text(row) for row in indicators if row.deviation_reason.strip()),
        notices=(*lamps.notices, *_budget_notice(e.project_code, lamps)),
        missing_reasons=tuple(_located(e.project_code, e.project_name, entry, lamps)),
        conclusion=e.conclusion,
        conclusion_note=e.conclusion_note,
    )


def _indicator_row(item: Row[Any], lamp: Lamp | None, explanation: str) -> IndicatorLampRow:
    comparator = Comparator(item.comparator)
    if item.current_value is not None:
        current = f"{format_number(item.current_value)}{item.unit}"
    else:
        current = item.current_text
    return IndicatorLampRow(
        id=item.id,
        indicator_id=item.indicator_id,
        level1=item.level1,
        level2=item.level2,
        name=item.name,
        target=format_target(comparator, item.target_value, item.unit, item.target_text),
        current=current,
        current_value=item.current_value,
        current_text=item.current_text,
        likelihood=item.likelihood,
        expected_value=item.expected_value,
        lamp=lamp,
        explanation=explanation,
        deviation_category=item.deviation_category,
        deviation_reason=item.deviation_reason,
        corrective_action=item.corrective_action,
    )


def _reason_text(row: IndicatorLampRow) -> str:
    text = f"{row.name}：{row.deviation_category or '未分类'}——{row.deviation_reason.strip()}"
    if row.corrective_action.strip():
        text += f"；纠偏措施：{row.corrective_action.strip()}"
    return text


def _budget_notice(code: str, lamps: RoundLamps) -> list[str]:
    if lamps.budget.lamp not in (Lamp.RED, Lamp.YELLOW):
        return []
    return [f"项目 {code} 预算执行为{lamps.budget.lamp.label}：{lamps.budget.explanation}"]


def _located(code: str, name: str, entry: RoundEntry, lamps: RoundLamps) -> list[Problem]:
    """The domain's missing reasons, named by project; only indicator ones block closing."""
    return [
        Problem(f"项目 {code}（{name}）：{p.message}", column=p.column)
        for p in missing_reasons(entry, lamps)
        if p.row is not None  # budget-lamp reasons have no column to be stored in
    ]
