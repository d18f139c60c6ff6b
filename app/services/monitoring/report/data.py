"""The figures of the monitoring reports, built first and tested exactly (then composed).

Design decisions:
- Rates are on summed money (ΣB/ΣA), as on the dashboard: a large project weighs as much
  as its money.
- Lamp counts are project lamps (the worst of budget and indicators); every project is
  counted once, unlit ones included, so the counts add up to the projects of the round.
- Lagging projects: budget lamp red or yellow, the largest gap behind 序时进度 first (ties
  by project code), as in the lagging list of the monitoring page.
- Reasons of a lagging project: its budget lamp's 偏差原因 and 纠偏措施, the lamp that put
  it on the list (its indicators' reasons are on its 监控表). "Explained" means that reason
  is given.
- Missing reasons are counted apart: budget lamps (projects) and indicator lamps.
- Department-wide rows (部门整体) are listed as they are, by department code; they are
  not added into the project totals (their project part is those projects' money).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Lamp, Scope
from app.domain.errors import UserError
from app.domain.lamps import execution_rate, time_progress
from app.domain.rules import RuleSet
from app.services.common import live
from app.services.monitoring import LampCounts, ProjectMonitoringRow, lagging
from app.services.monitoring.department import DepartmentMonitoringRow, load_department_rows
from app.services.monitoring.loading import find_round
from app.services.monitoring.views import load_rows
from app.services.setup.county import read_names
from app.storage.database import Database
from app.storage.models import Goal, MonitoringEntry, Project

_LAGGING_LAMPS = (Lamp.RED, Lamp.YELLOW)


@dataclass(frozen=True)
class Execution:
    """Money of a group of projects (a 股室, a department, the county)."""

    name: str
    projects: int
    budget: Decimal  # ΣA, 元
    spent: Decimal  # ΣB, 元
    execution_rate: Decimal | None
    time_progress: Decimal
    lamps: LampCounts  # project lamps
    section: str = ""  # departments: their 股室

    @property
    def gap(self) -> Decimal | None:
        """Percentage of the year behind 序时进度 as a fraction (positive = behind)."""
        return None if self.execution_rate is None else self.time_progress - self.execution_rate


@dataclass(frozen=True)
class LaggingProject:
    project_code: str
    project_name: str
    department_name: str
    section: str
    budget: Decimal
    spent: Decimal
    execution_rate: Decimal | None
    gap: Decimal
    budget_lamp: Lamp | None
    project_lamp: Lamp | None
    reasons: str  # the budget lamp's "类别：原因", or ""
    actions: str  # its 纠偏措施, or ""
    conclusion: str


@dataclass(frozen=True)
class MonitoringReportData:
    year: int
    month: int
    county: str
    bureau: str
    closed: bool
    total: Execution
    sections: tuple[Execution, ...]  # by 股室 name order of the departments' codes
    departments: tuple[Execution, ...]  # by 股室 (in `sections` order), then department code
    budget_lamps: LampCounts
    indicator_lamps: LampCounts
    indicators: int
    indicators_reported: int  # with a current value or a qualitative progress
    lagging: tuple[LaggingProject, ...]  # every lagging project, largest gap first
    conclusions: dict[str, int]  # the bureau's 处理意见 given, by kind
    missing_reasons: int  # red/yellow indicator lamps without 偏差原因
    missing_budget_reasons: int  # red/yellow budget lamps (projects) without 偏差原因
    department_wide: tuple[DepartmentMonitoringRow, ...] = ()  # 部门整体, by department code


@dataclass(frozen=True)
class MonitoringTableData:
    year: int
    month: int
    bureau: str
    row: ProjectMonitoringRow
    overall_target: str  # 年度总体目标 of the project's goal


def monitoring_report_data(
    db: Database, year: int, month: int, rules: RuleSet
) -> MonitoringReportData:
    """Everything the round's 绩效监控情况报告 shows."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        rows = load_rows(session, [rnd.id], rules)
        department_wide = tuple(load_department_rows(session, [rnd.id], rules))
        county, bureau = _names(session)
        closed = rnd.status == "closed"
    if not rows:
        raise UserError(f"{year}年{month}月监控轮次没有项目，无法生成监控情况报告。")
    items = [item for row in rows for item in row.indicators]
    departments = _groups(rows, lambda r: r.department_code)
    sections = _section_order(_groups(rows, lambda r: r.section), departments, month)
    rank = {section.name: n for n, section in enumerate(sections)}
    by_section = sorted(departments.items(), key=lambda kv: (rank[kv[1][0].section], kv[0]))
    return MonitoringReportData(
        year=year,
        month=month,
        county=county,
        bureau=bureau,
        closed=closed,
        total=_execution(county, rows, month),
        sections=tuple(sections),
        departments=tuple(
            _execution(members[0].department_name, members, month, members[0].section)
            for _, members in by_section
        ),
        budget_lamps=LampCounts.of(row.budget_lamp for row in rows),
        indicator_lamps=LampCounts.of(item.lamp for item in items),
        indicators=len(items),
        indicators_reported=sum(1 for i in items if i.current_value is not None or i.current_text),
        lagging=tuple(_lagging(row) for row in lagging(rows) if row.budget_lamp in _LAGGING_LAMPS),
        conclusions=dict(Counter(row.conclusion for row in rows if row.conclusion)),
        missing_reasons=sum(
            1 for i in items if _unexplained(i.lamp, i.deviation_category, i.deviation_reason)
        ),
        missing_budget_reasons=sum(
            1
            for r in rows
            if _unexplained(r.budget_lamp, r.budget_deviation_category, r.budget_deviation_reason)
        ),
        department_wide=department_wide,
    )


def monitoring_table_data(
    db: Database, year: int, month: int, project_code: str, rules: RuleSet
) -> MonitoringTableData:
    """One project's 项目支出绩效运行监控表."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        found = session.execute(
            select(MonitoringEntry.id, Project.id)
            .join(Project, MonitoringEntry.project_id == Project.id)
            .where(
                MonitoringEntry.round_id == rnd.id,
                Project.code == project_code,
                *live.only(Project),
            )
        ).first()
        if found is None:
            raise UserError(f"{year}年{month}月监控轮次中没有项目 {project_code}，请核对项目编码。")
        entry_id, project_id = found
        row = load_rows(session, [rnd.id], rules, entry_id=entry_id)[0]
        target = session.scalar(
            select(Goal.overall_target).where(
                Goal.project_id == project_id,
                Goal.scope == Scope.PROJECT.value,
                *live.only(Goal),
            )
        )
        _, bureau = _names(session)
    return MonitoringTableData(year, month, bureau, row, target or "")


def _unexplained(lamp: Lamp | None, category: str, reason: str) -> bool:
    return lamp in _LAGGING_LAMPS and not (category and reason.strip())


def _names(session: Session) -> tuple[str, str]:
    names = read_names(session)
    return names.county, names.bureau


def _groups(
    rows: Iterable[ProjectMonitoringRow], key: Callable[[ProjectMonitoringRow], str]
) -> dict[str, list[ProjectMonitoringRow]]:
    groups: dict[str, list[ProjectMonitoringRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _execution(
    name: str, rows: list[ProjectMonitoringRow], month: int, section: str = ""
) -> Execution:
    budget = sum((r.adjusted_budget for r in rows), Decimal(0))
    spent = sum((r.spent for r in rows), Decimal(0))
    return Execution(
        name=name,
        projects=len(rows),
        budget=budget,
        spent=spent,
        execution_rate=execution_rate(budget, spent),
        time_progress=time_progress(month),
        lamps=LampCounts.of(r.project_lamp for r in rows),
        section=section,
    )


def _section_order(
    sections: dict[str, list[ProjectMonitoringRow]],
    departments: dict[str, list[ProjectMonitoringRow]],
    month: int,
) -> list[Execution]:
    """股室 in the order of their first department's code (the bureau's usual order)."""
    first: dict[str, str] = {}
    for code in sorted(departments):
        first.setdefault(departments[code][0].section, code)
    ordered = sorted(sections, key=lambda name: (first.get(name, ""), name))
    return [_execution(name, sections[name], month) for name in ordered]


def _lagging(row: ProjectMonitoringRow) -> LaggingProject:
    reason = row.budget_deviation_reason.strip()
    reasons = f"{row.budget_deviation_category or '其他'}：{reason}" if reason else ""
    return LaggingProject(
        project_code=row.project_code,
        project_name=row.project_name,
        department_name=row.department_name,
        section=row.section,
        budget=row.adjusted_budget,
        spent=row.spent,
        execution_rate=row.execution_rate,
        gap=row.gap or Decimal(0),
        budget_lamp=row.budget_lamp,
        project_lamp=row.project_lamp,
        reasons=reasons,
        actions=row.budget_corrective_action.strip(),
        conclusion=row.conclusion,
    )
