"""Opening, listing and closing monitoring rounds.

Design decisions:
- Opening lists every live project whose project goal is approved (已通过), each with its
  goal's indicators, written with bulk inserts (a county has ~2,200 projects).
- Carry forward: the new round starts from the latest earlier round of the same year
  (budgets, spent, the budget lamp's reason, every indicator figure and reason); the
  bureau's conclusion is per round and starts blank. Projects or indicators new since
  then start from the project's amount (initial = adjusted = total, spent 0) and blank
  figures.
- Closing re-lights every lamp from the stored figures (never trusting a cached lamp) and
  refuses, listing every missing 偏差原因 by project code and lamp (预算执行 or the
  indicator's name).
- A round covers the department-wide goals too (部门整体, app.services.monitoring.department):
  opened, carried forward and held to the same 偏差原因 rule before closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, insert, select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import UserError, ValidationFailed
from app.domain.rules import RuleSet
from app.services.common import audit, jobs, live
from app.services.monitoring.department import fill_department_entries, load_department_rows
from app.services.monitoring.loading import evaluated, find_round, fiscal_year
from app.services.monitoring.views import located_reasons
from app.storage import joblock, versions
from app.storage.database import Database
from app.storage.models import (
    DepartmentMonitoringEntry,
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    Project,
)

OPEN, CLOSED = "open", "closed"
STATUS_LABELS = {OPEN: "进行中", CLOSED: "已关闭"}
# Indicator figures a new round takes over from the previous one.
_CARRIED = (
    "current_value",
    "current_text",
    "likelihood",
    "expected_value",
    "deviation_category",
    "deviation_reason",
    "corrective_action",
)
# Entry figures carried over: the money and the budget lamp's 偏差原因.
_CARRIED_ENTRY = (
    "initial_budget",
    "adjusted_budget",
    "spent",
    "budget_deviation_category",
    "budget_deviation_reason",
    "budget_corrective_action",
)


@dataclass(frozen=True)
class RoundSummary:
    id: int
    year: int
    month: int
    status: str  # open / closed
    opened_at: datetime | None
    closed_at: datetime | None
    project_count: int
    carried_from_month: int | None = None  # set by open_round only
    department_count: int = 0  # department-wide goals in the round

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def open_round(db: Database, year: int, month: int, rules: RuleSet) -> RoundSummary:
    """Open the round of `month`, listing every approved project with carried-forward figures."""
    if month not in rules.monitoring.months:
        allowed = "、".join(str(m) for m in rules.monitoring.months)
        raise UserError(
            f"规则集“{rules.name}”未设置 {month} 月监控，可开启的月份为：{allowed} 月。"
        )
    with db.transaction() as session:
        fy = fiscal_year(session, year)
        existing = session.scalar(
            select(MonitoringRound).where(
                MonitoringRound.year_id == fy.id, MonitoringRound.month == month
            )
        )
        if existing is not None:
            state = STATUS_LABELS.get(existing.status, existing.status)
            raise UserError(f"{year}年{month}月监控轮次已存在（{state}），不能重复开启。")
        previous = _previous_round(session, fy.id, month)
        rnd = MonitoringRound(year_id=fy.id, month=month, status=OPEN, opened_at=datetime.now())
        session.add(rnd)
        versions.flush_first(session, f"{year}年{month}月监控轮次刚刚已由其他操作人员开启。")
        count = _fill_round(session, rnd.id, fy.id, previous)
        departments = fill_department_entries(session, rnd.id, fy.id, previous)
        carried = previous.month if previous else None
        audit.record(
            session,
            "open",
            "monitoring_round",
            rnd.id,
            f"{year}年{month}月绩效监控",
            after={
                "month": month,
                "projects": count,
                "departments": departments,
                "carried_from_month": carried,
            },
        )
        return RoundSummary(
            rnd.id, year, month, OPEN, rnd.opened_at, None, count, carried, departments
        )


def list_rounds(db: Database, year: int) -> list[RoundSummary]:
    """The rounds of a year, by month, with their project and department-wide counts."""
    counts = _counts(MonitoringEntry.round_id, MonitoringEntry.id)
    departments = _counts(DepartmentMonitoringEntry.round_id, DepartmentMonitoringEntry.id)
    with db.session() as session:
        fy = fiscal_year(session, year)
        stmt = (
            select(
                MonitoringRound,
                func.coalesce(counts.c.n, 0),
                func.coalesce(departments.c.n, 0),
            )
            .outerjoin(counts, counts.c.round_id == MonitoringRound.id)
            .outerjoin(departments, departments.c.round_id == MonitoringRound.id)
            .where(MonitoringRound.year_id == fy.id)
            .order_by(MonitoringRound.month)
        )
        return [
            RoundSummary(
                r.id, year, r.month, r.status, r.opened_at, r.closed_at, n, department_count=d
            )
            for r, n, d in session.execute(stmt)
        ]


def _counts(round_id: Any, entry_id: Any) -> Subquery:
    return select(round_id, func.count(entry_id).label("n")).group_by(round_id).subquery()


@jobs.exclusive(joblock.CLOSE_ROUND, per_year=True)
def close_round(db: Database, year: int, month: int, rules: RuleSet) -> RoundSummary:
    """Close the round once every red or yellow lamp (budget or indicator) has its 偏差原因."""
    with db.transaction() as session:
        rnd = find_round(session, year, month)
        if rnd.status == CLOSED:
            raise UserError(f"{year}年{month}月监控轮次已关闭。")
        entries = list(evaluated(session, [rnd.id], rules))
        departments = load_department_rows(session, [rnd.id], rules)
        missing = [p for ev in entries for p in located_reasons(ev) if p.blocking]
        missing += [p for row in departments for p in row.missing_reasons if p.blocking]
        if missing:
            raise ValidationFailed(
                missing,
                f"{year}年{month}月监控有 {len(missing)} 处偏差原因未填写，不能关闭本轮监控：",
            )
        rnd.status, rnd.closed_at = CLOSED, datetime.now()
        audit.record(
            session,
            "close",
            "monitoring_round",
            rnd.id,
            f"{year}年{month}月绩效监控",
            before={"status": OPEN},
            after={"status": CLOSED, "projects": len(entries), "departments": len(departments)},
        )
        return RoundSummary(
            rnd.id,
            year,
            month,
            CLOSED,
            rnd.opened_at,
            rnd.closed_at,
            len(entries),
            department_count=len(departments),
        )


def _previous_round(session: Session, year_id: int, month: int) -> MonitoringRound | None:
    stmt = (
        select(MonitoringRound)
        .where(MonitoringRound.year_id == year_id, MonitoringRound.month < month)
        .order_by(MonitoringRound.month.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def _fill_round(
    session: Session, round_id: int, year_id: int, previous: MonitoringRound | None
) -> int:
    """Bulk-insert the round's entries and indicator rows; returns the number of projects."""
    approved = (*_approved(year_id), *live.only(Project, Goal))
    projects = session.execute(
        select(Project.id, Project.total_amount)
        .join(Goal, Goal.project_id == Project.id)
        .where(*approved)
    ).all()
    if not projects:
        return 0
    old_entries, old_indicators = _previous_figures(session, previous)
    session.execute(
        insert(MonitoringEntry),
        [_entry_values(round_id, p.id, p.total_amount, old_entries.get(p.id)) for p in projects],
    )
    entry_ids = dict(
        session.execute(
            select(MonitoringEntry.project_id, MonitoringEntry.id).where(
                MonitoringEntry.round_id == round_id
            )
        ).all()
    )
    # Joined, not IN (...): thousands of bound ids would exceed SQLite's variable limit.
    indicators = session.execute(
        select(Indicator.id, Project.id.label("project_id"))
        .join(Goal, Indicator.goal_id == Goal.id)
        .join(Project, Goal.project_id == Project.id)
        .where(*approved)
    ).all()
    values = []
    for ind in indicators:
        project_id = ind.project_id
        carried = old_indicators.get((project_id, ind.id), {})
        values.append({"entry_id": entry_ids[project_id], "indicator_id": ind.id, **carried})
    if values:
        session.execute(insert(MonitoringIndicator), values)
    return len(projects)


def _approved(year_id: int) -> tuple[ColumnElement[bool], ...]:
    """Projects of the year whose project goal is approved (joined Project and Goal)."""
    return (
        Project.year_id == year_id,
        Goal.scope == Scope.PROJECT.value,
        Goal.status == GoalStatus.APPROVED.value,
    )


def _entry_values(
    round_id: int, project_id: int, amount: Decimal, old: dict[str, Any] | None
) -> dict[str, Any]:
    money = old or {
        "initial_budget": amount,
        "adjusted_budget": amount,
        "spent": Decimal(0),
        "budget_deviation_category": "",
        "budget_deviation_reason": "",
        "budget_corrective_action": "",
    }
    return {"round_id": round_id, "project_id": project_id, **money}


def _previous_figures(
    session: Session, previous: MonitoringRound | None
) -> tuple[dict[int, dict[str, Any]], dict[tuple[int, int], dict[str, Any]]]:
    """The previous round's entry figures (money, budget reason) by project, and indicator
    figures by (project, indicator)."""
    if previous is None:
        return {}, {}
    entry_columns = [getattr(MonitoringEntry, name) for name in _CARRIED_ENTRY]
    entries = session.execute(
        select(MonitoringEntry.project_id, *entry_columns).where(
            MonitoringEntry.round_id == previous.id
        )
    )
    money = {e.project_id: {name: getattr(e, name) for name in _CARRIED_ENTRY} for e in entries}
    columns = [getattr(MonitoringIndicator, name) for name in _CARRIED]
    indicators = session.execute(
        select(MonitoringEntry.project_id, MonitoringIndicator.indicator_id, *columns)
        .join(MonitoringEntry, MonitoringIndicator.entry_id == MonitoringEntry.id)
        .where(MonitoringEntry.round_id == previous.id)
    )
    figures = {
        (i.project_id, i.indicator_id): {name: getattr(i, name) for name in _CARRIED}
        for i in indicators
    }
    return money, figures
