"""Dashboard figures: execution vs 序时进度 by department, lamps by 股室, the trend by round.

Plain numbers for charts; the GUI and the reports engine draw them. Rates are fractions
(0.4 = 40%), computed on summed money (ΣB/ΣA), not averaged over projects, so a large
project weighs as much as its money.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Lamp
from app.domain.lamps import execution_rate, time_progress
from app.domain.rules import RuleSet
from app.services.monitoring.views import ProjectMonitoringRow, fiscal_year, load_rows
from app.storage.database import Database
from app.storage.models import MonitoringRound


@dataclass(frozen=True)
class LampCounts:
    red: int = 0
    yellow: int = 0
    green: int = 0
    blue: int = 0
    unlit: int = 0  # no lamp could be computed (budget 0 and no indicator figures)

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.blue + self.unlit

    @classmethod
    def of(cls, lamps: Iterable[Lamp | None]) -> LampCounts:
        counts = {"red": 0, "yellow": 0, "green": 0, "blue": 0, "unlit": 0}
        for lamp in lamps:
            counts[lamp.value if lamp else "unlit"] += 1
        return cls(**counts)


@dataclass(frozen=True)
class DepartmentProgress:
    section: str
    department_code: str
    department_name: str
    projects: int
    budget: Decimal  # ΣA
    spent: Decimal  # ΣB
    execution_rate: Decimal | None  # ΣB/ΣA
    time_progress: Decimal

    @property
    def gap(self) -> Decimal | None:
        return None if self.execution_rate is None else self.time_progress - self.execution_rate


@dataclass(frozen=True)
class SectionLamps:
    section: str
    lamps: LampCounts  # project lamps


@dataclass(frozen=True)
class RoundTrend:
    month: int
    status: str
    time_progress: Decimal
    budget: Decimal
    spent: Decimal
    execution_rate: Decimal | None
    lamps: LampCounts  # project lamps


@dataclass(frozen=True)
class Dashboard:
    year: int
    latest_month: int | None  # None when the year has no round yet
    departments: tuple[DepartmentProgress, ...]  # latest round, by department code
    sections: tuple[SectionLamps, ...]  # latest round, in order of first appearance
    trend: tuple[RoundTrend, ...]  # every round of the year, by month


def dashboard(db: Database, year: int, rules: RuleSet) -> Dashboard:
    """The year's dashboard; every round's lamps are lit in one pass of two queries."""
    with db.session() as session:
        fy = fiscal_year(session, year)
        rounds = session.execute(
            select(MonitoringRound.id, MonitoringRound.month, MonitoringRound.status)
            .where(MonitoringRound.year_id == fy.id)
            .order_by(MonitoringRound.month)
        ).all()
        rows = load_rows(session, [r.id for r in rounds], rules) if rounds else []
    by_round: dict[int, list[ProjectMonitoringRow]] = defaultdict(list)
    for row in rows:
        by_round[row.round_id].append(row)
    if not rounds:
        return Dashboard(year, None, (), (), ())
    trend = tuple(_trend(r.month, r.status, by_round[r.id]) for r in rounds)
    latest = by_round[rounds[-1].id]
    return Dashboard(year, rounds[-1].month, _departments(latest), _sections(latest), trend)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _trend(month: int, status: str, rows: list[ProjectMonitoringRow]) -> RoundTrend:
    budget, spent = _sum(r.adjusted_budget for r in rows), _sum(r.spent for r in rows)
    return RoundTrend(
        month=month,
        status=status,
        time_progress=time_progress(month),
        budget=budget,
        spent=spent,
        execution_rate=execution_rate(budget, spent),
        lamps=LampCounts.of(r.project_lamp for r in rows),
    )


def _departments(rows: list[ProjectMonitoringRow]) -> tuple[DepartmentProgress, ...]:
    groups: dict[str, list[ProjectMonitoringRow]] = defaultdict(list)
    for row in rows:
        groups[row.department_code].append(row)
    result = []
    for code in sorted(groups):
        members = groups[code]
        budget = _sum(r.adjusted_budget for r in members)
        spent = _sum(r.spent for r in members)
        first = members[0]
        result.append(
            DepartmentProgress(
                section=first.section,
                department_code=code,
                department_name=first.department_name,
                projects=len(members),
                budget=budget,
                spent=spent,
                execution_rate=execution_rate(budget, spent),
                time_progress=first.time_progress,
            )
        )
    return tuple(result)


def _sections(rows: list[ProjectMonitoringRow]) -> tuple[SectionLamps, ...]:
    groups: dict[str, list[Lamp | None]] = {}
    for row in rows:
        groups.setdefault(row.section, []).append(row.project_lamp)
    return tuple(SectionLamps(name, LampCounts.of(lamps)) for name, lamps in groups.items())
