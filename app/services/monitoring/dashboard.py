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
from typing import NamedTuple

from sqlalchemy import select

from app.domain.enums import Lamp
from app.domain.lamps import execution_rate, time_progress
from app.domain.rules import RuleSet
from app.services.common.bulk import collector_paused
from app.services.monitoring.loading import EntryRecord, evaluated, fiscal_year
from app.services.monitoring.views import NO_SECTION
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


class _Lit(NamedTuple):
    """What the dashboard needs of an entry: its money, where it belongs, its project lamp."""

    record: EntryRecord
    lamp: Lamp | None

    @property
    def section(self) -> str:
        return self.record.section or NO_SECTION


def dashboard(db: Database, year: int, rules: RuleSet) -> Dashboard:
    """The year's dashboard; every round's lamps are lit in one pass of two queries."""
    with db.session() as session:
        fy = fiscal_year(session, year)
        rounds = session.execute(
            select(MonitoringRound.id, MonitoringRound.month, MonitoringRound.status)
            .where(MonitoringRound.year_id == fy.id)
            .order_by(MonitoringRound.month)
        ).all()
        if not rounds:
            return Dashboard(year, None, (), (), ())
        by_round: dict[int, list[_Lit]] = defaultdict(list)
        # Only the project lamp is kept: the full rows (explanations) are not needed here.
        with collector_paused():  # every round's indicators: 100,000 lamps and more
            for ev in evaluated(session, [r.id for r in rounds], rules):
                by_round[ev.record.round_id].append(_Lit(ev.record, ev.lamps.project))
    trend = tuple(_trend(r.month, r.status, by_round[r.id]) for r in rounds)
    latest = by_round[rounds[-1].id]
    return Dashboard(year, rounds[-1].month, _departments(latest), _sections(latest), trend)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _trend(month: int, status: str, lit: list[_Lit]) -> RoundTrend:
    budget = _sum(x.record.adjusted_budget for x in lit)
    spent = _sum(x.record.spent for x in lit)
    return RoundTrend(
        month=month,
        status=status,
        time_progress=time_progress(month),
        budget=budget,
        spent=spent,
        execution_rate=execution_rate(budget, spent),
        lamps=LampCounts.of(x.lamp for x in lit),
    )


def _departments(lit: list[_Lit]) -> tuple[DepartmentProgress, ...]:
    groups: dict[str, list[_Lit]] = defaultdict(list)
    for x in lit:
        groups[x.record.department_code].append(x)
    result = []
    for code in sorted(groups):
        members = groups[code]
        budget = _sum(x.record.adjusted_budget for x in members)
        spent = _sum(x.record.spent for x in members)
        first = members[0]
        result.append(
            DepartmentProgress(
                section=first.section,
                department_code=code,
                department_name=first.record.department_name,
                projects=len(members),
                budget=budget,
                spent=spent,
                execution_rate=execution_rate(budget, spent),
                time_progress=time_progress(first.record.month),
            )
        )
    return tuple(result)


def _sections(lit: list[_Lit]) -> tuple[SectionLamps, ...]:
    groups: dict[str, list[Lamp | None]] = {}
    for x in lit:
        groups.setdefault(x.section, []).append(x.lamp)
    return tuple(SectionLamps(name, LampCounts.of(lamps)) for name, lamps in groups.items())
