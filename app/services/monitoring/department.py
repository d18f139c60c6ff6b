"""部门整体 monitoring: every approved department-wide goal in every round.

Design decisions:
- Opening a round lists every live department-wide goal of the year that is approved
  (已通过), with its indicators. Figures carry forward from the previous round as for
  projects; a goal new since then starts from opening_budgets (its projects' amounts
  and the rest of 整体支出 as basic spending), nothing spent.
- Lamps come from the domain on the whole spending (app.domain.department_spending); a
  red or yellow lamp needs its 偏差原因 before the round closes, as for a project.
- Reading is this module's; entering figures is department_entries', the form's preview
  department_form's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.department_spending import DepartmentSpending, department_entry, opening_budgets
from app.domain.enums import GoalStatus, Lamp, Scope
from app.domain.lamps import evaluate_round, missing_reasons, time_progress
from app.domain.rules import RuleSet
from app.services.common import live
from app.services.monitoring.loading import (
    CATEGORIES,
    IndicatorRecord,
    find_round,
    progress_of,
)
from app.services.monitoring.views import (
    BUDGET_COLUMNS,
    BUDGET_SUBJECT,
    IndicatorLampRow,
    ReasonNeeded,
    indicator_row,
    reason_text,
)
from app.storage.database import Database
from app.storage.models import (
    Department,
    DepartmentMonitoringEntry,
    DepartmentMonitoringIndicator,
    Goal,
    Indicator,
    MonitoringRound,
    Project,
    Section,
)

NO_SECTION = "未分配股室"
_CARRIED_ENTRY = (
    "basic_initial",
    "basic_adjusted",
    "basic_spent",
    "project_initial",
    "project_adjusted",
    "project_spent",
    "budget_deviation_category",
    "budget_deviation_reason",
    "budget_corrective_action",
)
CARRIED_INDICATOR = (
    "current_value",
    "current_text",
    "likelihood",
    "expected_value",
    "deviation_category",
    "deviation_reason",
    "corrective_action",
)

# The columns of an IndicatorRecord: the round's figures, then the goal's indicator.
_INDICATOR_COLUMNS = [
    *(getattr(DepartmentMonitoringIndicator, name) for name in IndicatorRecord._fields[:10]),
    *(getattr(Indicator, name) for name in IndicatorRecord._fields[10:]),
]


@dataclass(frozen=True, slots=True)
class DepartmentMonitoringRow:
    """A department-wide goal in one round, with its lamps. Amounts in 元."""

    entry_id: int
    round_id: int
    month: int
    department_code: str
    department_name: str
    section: str
    basic_initial: Decimal
    basic_adjusted: Decimal
    basic_spent: Decimal
    project_initial: Decimal
    project_adjusted: Decimal
    project_spent: Decimal
    execution_rate: Decimal | None  # whole spending ÷ whole budget; None when it is 0
    time_progress: Decimal
    budget_lamp: Lamp | None
    budget_explanation: str
    department_lamp: Lamp | None  # the worst of the budget and indicator lamps
    indicators: tuple[IndicatorLampRow, ...]
    reasons: tuple[str, ...]
    notices: tuple[str, ...]
    missing_reasons: tuple[ReasonNeeded, ...]
    conclusion: str
    conclusion_note: str
    budget_deviation_category: str
    budget_deviation_reason: str
    budget_corrective_action: str
    version: int = 0  # of the stored entry when loaded; a save names it (storage/versions.py)

    @property
    def initial_budget(self) -> Decimal:
        return self.basic_initial + self.project_initial

    @property
    def adjusted_budget(self) -> Decimal:
        return self.basic_adjusted + self.project_adjusted

    @property
    def spent(self) -> Decimal:
        return self.basic_spent + self.project_spent

    @property
    def gap(self) -> Decimal | None:
        return None if self.execution_rate is None else self.time_progress - self.execution_rate


# --- opening -----------------------------------------------------------------------------


def fill_department_entries(
    session: Session, round_id: int, year_id: int, previous: MonitoringRound | None
) -> int:
    """Add every approved department-wide goal to a new round; returns how many."""
    goals = session.execute(
        select(Goal.id, Goal.department_id, Goal.budget_amount).where(
            Goal.year_id == year_id,
            Goal.scope == Scope.DEPARTMENT.value,
            Goal.status == GoalStatus.APPROVED.value,
            *live.only(Goal),
        )
    ).all()
    if not goals:
        return 0
    project_money = dict(
        session.execute(
            select(Project.department_id, func.sum(Project.total_amount))
            .where(Project.year_id == year_id, *live.only(Project))
            .group_by(Project.department_id)
        ).all()
    )
    old_entries, old_indicators = _previous_figures(session, previous)
    indicators = defaultdict(list)
    for goal_id, indicator_id in session.execute(
        select(Indicator.goal_id, Indicator.id).where(Indicator.goal_id.in_([g.id for g in goals]))
    ):
        indicators[goal_id].append(indicator_id)
    for goal in goals:
        money = old_entries.get(goal.id) or _opening(
            goal.budget_amount, project_money.get(goal.department_id)
        )
        entry = DepartmentMonitoringEntry(round_id=round_id, goal_id=goal.id, **money)
        entry.indicators = [
            DepartmentMonitoringIndicator(indicator_id=i, **old_indicators.get((goal.id, i), {}))
            for i in indicators[goal.id]
        ]
        session.add(entry)
    session.flush()
    return len(goals)


def _opening(whole: Decimal | None, projects: Decimal | None) -> dict[str, Any]:
    basic, project = opening_budgets(whole, projects or Decimal(0))
    return {
        "basic_initial": basic,
        "basic_adjusted": basic,
        "basic_spent": Decimal(0),
        "project_initial": project,
        "project_adjusted": project,
        "project_spent": Decimal(0),
    }


def _previous_figures(
    session: Session, previous: MonitoringRound | None
) -> tuple[dict[int, dict[str, Any]], dict[tuple[int, int], dict[str, Any]]]:
    if previous is None:
        return {}, {}
    entries = session.scalars(
        select(DepartmentMonitoringEntry).where(DepartmentMonitoringEntry.round_id == previous.id)
    ).all()
    money = {e.goal_id: {name: getattr(e, name) for name in _CARRIED_ENTRY} for e in entries}
    figures = {
        (e.goal_id, i.indicator_id): {name: getattr(i, name) for name in CARRIED_INDICATOR}
        for e in entries
        for i in e.indicators
    }
    return money, figures


# --- reading -----------------------------------------------------------------------------


def department_round_rows(
    db: Database, year: int, month: int, rules: RuleSet
) -> list[DepartmentMonitoringRow]:
    """Every department-wide goal of the round with its lamps, by department code."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        return load_department_rows(session, [rnd.id], rules)


def load_department_rows(
    session: Session, round_ids: Sequence[int], rules: RuleSet, entry_id: int | None = None
) -> list[DepartmentMonitoringRow]:
    stmt = (
        select(DepartmentMonitoringEntry, MonitoringRound.month, Department, Section.name)
        .join(MonitoringRound, DepartmentMonitoringEntry.round_id == MonitoringRound.id)
        .join(Goal, DepartmentMonitoringEntry.goal_id == Goal.id)
        .join(Department, Goal.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(DepartmentMonitoringEntry.round_id.in_(round_ids), *live.only(Goal))
        .order_by(MonitoringRound.month, Department.code)
    )
    if entry_id is not None:
        stmt = stmt.where(DepartmentMonitoringEntry.id == entry_id)
    rows = session.execute(stmt).all()
    items = indicator_records(session, [entry.id for entry, *_ in rows])
    return [
        _build(entry, month, dept, section, items.get(entry.id, []), rules)
        for entry, month, dept, section in rows
    ]


def indicator_records(session: Session, entry_ids: list[int]) -> dict[int, list[IndicatorRecord]]:
    stmt = (
        select(*_INDICATOR_COLUMNS)
        .join(Indicator, DepartmentMonitoringIndicator.indicator_id == Indicator.id)
        .where(DepartmentMonitoringIndicator.entry_id.in_(entry_ids))
        .order_by(DepartmentMonitoringIndicator.entry_id, Indicator.position)
    )
    by_entry: dict[int, list[IndicatorRecord]] = defaultdict(list)
    for raw in session.execute(stmt):
        record = IndicatorRecord._make(raw)
        by_entry[record.entry_id].append(record)
    return by_entry


def _build(
    e: DepartmentMonitoringEntry,
    month: int,
    dept: Department,
    section: str | None,
    items: list[IndicatorRecord],
    rules: RuleSet,
) -> DepartmentMonitoringRow:
    spending = DepartmentSpending(
        e.basic_adjusted, e.basic_spent, e.project_adjusted, e.project_spent
    )
    progress = tuple(progress_of(item, n) for n, item in enumerate(items, start=1))
    entry = department_entry(
        month,
        spending,
        progress,
        CATEGORIES.get(e.budget_deviation_category),
        e.budget_deviation_reason,
    )
    lamps = evaluate_round(entry, rules)
    indicators = tuple(
        indicator_row(item, result.lamp, result.explanation)
        for item, result in zip(items, lamps.indicators, strict=True)
    )
    missing = tuple(
        ReasonNeeded(
            f"部门整体 {dept.code}（{dept.name}）：{p.message}",
            column=p.column if p.row is not None else BUDGET_COLUMNS.get(p.column, p.column),
            project_code=dept.code,
            indicator=p.row,
        )
        for p in missing_reasons(entry, lamps)
    )
    return DepartmentMonitoringRow(
        entry_id=e.id,
        round_id=e.round_id,
        month=month,
        department_code=dept.code,
        department_name=dept.name,
        section=section or NO_SECTION,
        basic_initial=e.basic_initial,
        basic_adjusted=e.basic_adjusted,
        basic_spent=e.basic_spent,
        project_initial=e.project_initial,
        project_adjusted=e.project_adjusted,
        project_spent=e.project_spent,
        execution_rate=None if spending.budget == 0 else spending.spent / spending.budget,
        time_progress=time_progress(month),
        budget_lamp=lamps.budget.lamp,
        budget_explanation=lamps.budget.explanation,
        department_lamp=lamps.project,
        indicators=indicators,
        reasons=tuple(_reasons(e, indicators)),
        notices=lamps.notices,
        missing_reasons=missing,
        conclusion=e.conclusion,
        conclusion_note=e.conclusion_note,
        budget_deviation_category=e.budget_deviation_category,
        budget_deviation_reason=e.budget_deviation_reason,
        budget_corrective_action=e.budget_corrective_action,
        version=e.version,
    )


def _reasons(e: DepartmentMonitoringEntry, indicators: tuple[IndicatorLampRow, ...]) -> list[str]:
    lines = []
    if e.budget_deviation_reason.strip():
        lines.append(
            reason_text(
                BUDGET_SUBJECT,
                e.budget_deviation_category,
                e.budget_deviation_reason,
                e.budget_corrective_action,
            )
        )
    lines += [
        reason_text(r.name, r.deviation_category, r.deviation_reason, r.corrective_action)
        for r in indicators
        if r.deviation_reason.strip()
    ]
    return lines
