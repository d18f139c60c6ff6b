"""Dashboard figures: execution vs 序时进度 by department, lamps by 股室, the trend by round.

Plain numbers for charts; the GUI and the reports engine draw them. Rates are fractions
(0.4 = 40%), computed on summed money (ΣB/ΣA), not averaged over projects, so a large
project weighs as much as its money.

A year holds some 12,000 entries with 130,000 indicator rows: money is summed by the
database (exact integer 分), and the lamps, which only the domain may decide, are lit one
round at a time from a few plain columns, counted and dropped. About half of a round's
indicator rows repeat another row's values: each distinct row is decided once (once for the
year when its rule does not look at the month), and an entry's rows after its first red
lamp are not decided at all (`worst_lamp` stops there). Each round is a progress step, so a
cancelled dashboard stops at the next round.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, String, func, select, type_coerce

from app.domain.enums import Lamp
from app.domain.lamps import (
    IndicatorProgress,
    bare_indicator_lamp,
    execution_rate,
    lit_project_lamp,
    month_bound,
    time_progress,
)
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.common import live
from app.services.monitoring.loading import COMPARATORS, QUALITATIVE, fiscal_year
from app.services.monitoring.views import NO_SECTION
from app.storage.database import Database
from app.storage.models import (
    Department,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    Project,
    Section,
)


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
        return cls.tallied(Counter(lamps))

    @classmethod
    def tallied(cls, tally: Mapping[Lamp | None, int]) -> LampCounts:
        """From how many entries have each lamp (None: unlit)."""
        counts = {"red": 0, "yellow": 0, "green": 0, "blue": 0, "unlit": 0}
        for lamp, n in tally.items():
            counts[lamp.value if lamp else "unlit"] += n
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


def dashboard(
    db: Database, year: int, rules: RuleSet, progress: Progress = NO_PROGRESS
) -> Dashboard:
    """The year's dashboard; one progress step per round (see the module doc)."""
    with db.session() as session:
        fy = fiscal_year(session, year)
        rounds = session.execute(
            select(MonitoringRound.id, MonitoringRound.month, MonitoringRound.status)
            .where(MonitoringRound.year_id == fy.id)
            .order_by(MonitoringRound.month)
        ).all()
        if not rounds:
            return Dashboard(year, None, (), (), ())
        # Core rows, streamed: the ORM would first fetch a round's 22,000 indicator rows.
        conn = session.connection()
        latest = rounds[-1]
        money = _round_money(conn, [r.id for r in rounds])
        departments = _departments(conn, latest.id, latest.month)
        by_department: dict[int, Counter[Lamp | None]] = defaultdict(Counter)  # latest round
        any_month: dict[tuple[Any, ...], Lamp | None] = {}  # rows whose lamp no month changes
        trend = []
        for done, rnd in enumerate(rounds):
            progress.step(done, len(rounds), f"正在计算 {rnd.month} 月监控轮次的预警灯…")
            tally = Counter[Lamp | None]()
            decided = _Decided(rnd.month, rules, any_month)
            for department_id, lamp in _project_lamps(conn, rnd.id, decided):
                tally[lamp] += 1
                if rnd is latest:
                    by_department[department_id][lamp] += 1
            budget, spent = money.get(rnd.id, (Decimal(0), Decimal(0)))
            trend.append(_trend(rnd.month, rnd.status, budget, spent, tally))
    # Sections in order of first appearance, the entries being ordered by department code.
    by_section: dict[str, Counter[Lamp | None]] = {}
    for department_id, d in departments:
        by_section.setdefault(d.section, Counter()).update(by_department[department_id])
    sections = tuple(SectionLamps(name, LampCounts.tallied(t)) for name, t in by_section.items())
    return Dashboard(year, latest.month, tuple(d for _, d in departments), sections, tuple(trend))


def _round_money(conn: Connection, round_ids: Sequence[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """ΣA and ΣB of every round (func.sum keeps the Money type: 元)."""
    stmt = (
        select(
            MonitoringEntry.round_id,
            func.sum(MonitoringEntry.adjusted_budget),
            func.sum(MonitoringEntry.spent),
        )
        .join(Project, MonitoringEntry.project_id == Project.id)
        .where(MonitoringEntry.round_id.in_(round_ids), *live.only(Project))
        .group_by(MonitoringEntry.round_id)
    )
    return {round_id: (budget, spent) for round_id, budget, spent in conn.execute(stmt)}


def _departments(
    conn: Connection, round_id: int, month: int
) -> list[tuple[int, DepartmentProgress]]:
    """The round's departments by code, with their ids."""
    stmt = (
        select(
            Department.id,
            Department.code,
            Department.name,
            Section.name,
            func.count(MonitoringEntry.id),
            func.sum(MonitoringEntry.adjusted_budget),
            func.sum(MonitoringEntry.spent),
        )
        .join(Project, MonitoringEntry.project_id == Project.id)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(MonitoringEntry.round_id == round_id, *live.only(Project))
        .group_by(Department.id, Department.code, Department.name, Section.name)
        .order_by(Department.code)
    )
    return [
        (
            department_id,
            DepartmentProgress(
                section=section or NO_SECTION,
                department_code=code,
                department_name=name,
                projects=projects,
                budget=budget,
                spent=spent,
                execution_rate=execution_rate(budget, spent),
                time_progress=time_progress(month),
            ),
        )
        for department_id, code, name, section, projects, budget, spent in conn.execute(stmt)
    ]


def _project_lamps(
    conn: Connection, round_id: int, decided: _Decided
) -> Iterator[tuple[int, Lamp | None]]:
    """(department id, project lamp) of each entry of the round.

    Entries and indicator rows both come ordered by entry id and are merged as they stream.
    Targets and current values come as their stored text (DecimalText) and are made Decimal
    only for a row not decided yet.
    """
    entries = (
        select(
            MonitoringEntry.id,
            Project.department_id,
            MonitoringEntry.adjusted_budget,
            MonitoringEntry.spent,
        )
        .join(Project, MonitoringEntry.project_id == Project.id)
        .where(MonitoringEntry.round_id == round_id, *live.only(Project))
        .order_by(MonitoringEntry.id)
    )
    indicators = (
        select(
            MonitoringIndicator.entry_id,
            Indicator.comparator,
            Indicator.level2,
            type_coerce(Indicator.target_value, String),
            Indicator.unit,
            type_coerce(MonitoringIndicator.current_value, String),
            MonitoringIndicator.current_text,
        )
        .join(Indicator, MonitoringIndicator.indicator_id == Indicator.id)
        .join(MonitoringEntry, MonitoringIndicator.entry_id == MonitoringEntry.id)
        .where(MonitoringEntry.round_id == round_id)
        .order_by(MonitoringIndicator.entry_id)
    )
    month, rules = decided.month, decided.rules
    groups = groupby(conn.execute(indicators), key=itemgetter(0))
    group = next(groups, None)
    for entry_id, department_id, budget, spent in conn.execute(entries):
        while group is not None and group[0] < entry_id:  # rows of a deleted project's entry
            group = next(groups, None)
        matched = group if group is not None and group[0] == entry_id else None
        lamps = (decided[row[1:]] for row in (matched[1] if matched else ()))
        # Lazy: after a red lamp the entry's other rows are skipped, never decided.
        yield department_id, lit_project_lamp(month, budget, spent, lamps, rules)
        if matched:
            group = next(groups, None)


class _Decided(dict[tuple[Any, ...], Lamp | None]):
    """The lamp of each distinct indicator row (its values after the entry id) of a round,
    decided by the domain when first asked. A row whose lamp no month changes is decided
    once for the year, in `any_month`, which the year's rounds share."""

    def __init__(
        self, month: int, rules: RuleSet, any_month: dict[tuple[Any, ...], Lamp | None]
    ) -> None:
        super().__init__()
        self.month, self.rules, self.any_month = month, rules, any_month

    def __missing__(self, values: tuple[Any, ...]) -> Lamp | None:
        if values in self.any_month:
            lamp = self[values] = self.any_month[values]
            return lamp
        item = _progress(*values)
        lamp = self[values] = bare_indicator_lamp(item, self.month, self.rules)
        if not month_bound(item, self.rules):
            self.any_month[values] = lamp
        return lamp


def _progress(
    comparator: str,
    level2: str,
    target: str | None,
    unit: str,
    current: str | None,
    text: str,
) -> IndicatorProgress:
    # No name or reasons: they word explanations and problems, never decide a lamp.
    return IndicatorProgress(
        name="",
        level2=level2,
        comparator=COMPARATORS[comparator],
        annual_target=None if target is None else Decimal(target),
        unit=unit,
        current_value=None if current is None else Decimal(current),
        qualitative_progress=QUALITATIVE.get(text),
    )


def _trend(
    month: int, status: str, budget: Decimal, spent: Decimal, tally: Mapping[Lamp | None, int]
) -> RoundTrend:
    return RoundTrend(
        month=month,
        status=status,
        time_progress=time_progress(month),
        budget=budget,
        spent=spent,
        execution_rate=execution_rate(budget, spent),
        lamps=LampCounts.tallied(tally),
    )
