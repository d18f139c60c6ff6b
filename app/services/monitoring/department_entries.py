"""Entering a department's figures for a round (部门整体 monitoring).

As for a project (app.services.monitoring.entries): every problem is collected before
anything is saved, a blocking one saves nothing, overspending only warns; the result
carries the re-lit row and the reasons still needed before the round closes. The money
comes in two parts, 基本支出 and 项目支出, each with 调整后预算 and 执行数.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, DeviationCategory, MonitoringConclusion
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.money import round2
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.monitoring.department import (
    CARRIED_INDICATOR,
    DepartmentMonitoringRow,
    load_department_rows,
)
from app.services.monitoring.entries import IndicatorEdit, check_choice, check_indicator
from app.services.monitoring.rounds import CLOSED
from app.services.monitoring.views import BUDGET_COLUMNS
from app.storage import versions
from app.storage.database import Database
from app.storage.models import (
    Department,
    DepartmentMonitoringEntry,
    FiscalYear,
    Goal,
    MonitoringRound,
)

# The entry fields an edit writes (the 年初预算 of both parts stay as opened).
_EDITED = (
    "basic_adjusted",
    "basic_spent",
    "project_adjusted",
    "project_spent",
    "budget_deviation_category",
    "budget_deviation_reason",
    "budget_corrective_action",
)


@dataclass(frozen=True)
class DepartmentEdit:
    """调整后预算 and 执行数 of both parts (元), the conclusion, reasons and indicators."""

    basic_adjusted: Decimal
    basic_spent: Decimal
    project_adjusted: Decimal
    project_spent: Decimal
    conclusion: str = ""
    note: str = ""
    indicators: tuple[IndicatorEdit, ...] = ()
    budget_deviation_category: str = ""
    budget_deviation_reason: str = ""
    budget_corrective_action: str = ""


@dataclass(frozen=True)
class DepartmentEntryResult:
    row: DepartmentMonitoringRow
    problems: tuple[Problem, ...]  # warnings and the reasons still needed to close

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)


def update_department_entry(
    db: Database,
    entry_id: int,
    edit: DepartmentEdit,
    rules: RuleSet,
    loaded_version: int | None = None,
) -> DepartmentEntryResult:
    """Save a department's figures for an open round; nothing is saved on a blocking problem.
    With `loaded_version`, an entry changed since the form opened is refused."""
    with db.transaction() as session:
        entry, code, label = _open_entry(session, entry_id, loaded_version)
        kind = audit.MONITORING_DEPARTMENT_ENTRY
        versions.check(session, entry, loaded_version, kind, entry_id, f"{label}的监控记录")
        known = {
            mi.indicator_id: (mi.indicator.name, Comparator(mi.indicator.comparator))
            for mi in entry.indicators
        }
        problems = check_department_edit(code, edit, known)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            summary = f"部门整体 {code} 的监控数据有 {len(blocking)} 个问题，未保存："
            raise ValidationFailed(blocking, summary)
        before = _snapshot(entry)
        _apply(entry, edit)
        old, new = audit.changed_only(before, _snapshot(entry))
        if old or new:
            audit.record(
                session, "update", audit.MONITORING_DEPARTMENT_ENTRY, entry.id, label, old, new
            )
        session.flush()
        row = load_department_rows(session, [entry.round_id], rules, entry_id=entry.id)[0]
    return DepartmentEntryResult(row, (*problems, *row.missing_reasons))


def check_department_edit(
    code: str, edit: DepartmentEdit, known: dict[int, tuple[str, Comparator]]
) -> list[Problem]:
    """Every problem of an edit (blocking or warning); `known` as for a project's edit."""
    where = f"部门整体 {code}"
    problems = []
    for part, budget, spent in (
        ("基本支出", edit.basic_adjusted, edit.basic_spent),
        ("项目支出", edit.project_adjusted, edit.project_spent),
    ):
        for column, value in (("调整后预算", budget), ("执行数", spent)):
            if value < 0:
                message = f"{where}：{part}{column}不能为负数（{value} 元）"
                problems.append(Problem(message, column=part + column))
        if spent > budget >= 0:
            message = f"{where}：{part}执行数 {spent} 元超过调整后预算 {budget} 元，请核实"
            problems.append(Problem(message, column=part + "执行数", blocking=False))
    problems += check_choice(where, "处理意见", edit.conclusion, MonitoringConclusion)
    category = BUDGET_COLUMNS["偏差原因类别"]
    problems += check_choice(where, category, edit.budget_deviation_category, DeviationCategory)
    for item in edit.indicators:
        problems += [
            replace(p, message=p.message.replace(f"项目 {code}", where, 1))
            for p in check_indicator(code, item, known)
        ]
    return problems


def _open_entry(
    session: Session, entry_id: int, loaded_version: int | None = None
) -> tuple[DepartmentMonitoringEntry, str, str]:
    found = session.execute(
        select(DepartmentMonitoringEntry, Department.code, MonitoringRound, FiscalYear.year)
        .join(Goal, DepartmentMonitoringEntry.goal_id == Goal.id)
        .join(Department, Goal.department_id == Department.id)
        .join(MonitoringRound, DepartmentMonitoringEntry.round_id == MonitoringRound.id)
        .join(FiscalYear, MonitoringRound.year_id == FiscalYear.id)
        .where(DepartmentMonitoringEntry.id == entry_id, *live.only(Goal))
    ).first()
    if found is None:
        kind = audit.MONITORING_DEPARTMENT_ENTRY
        versions.check(session, None, loaded_version, kind, entry_id, "该部门整体监控记录")
        raise UserError(f"部门整体监控记录（编号 {entry_id}）不存在，可能已被删除，请刷新后重试。")
    entry, code, rnd, year = found
    if rnd.status == CLOSED:
        raise UserError(
            f"{year}年{rnd.month}月监控轮次已关闭，不能修改部门整体 {code} 的监控数据。"
        )
    return entry, code, f"{year}年{rnd.month}月 部门整体 {code}"


def _apply(entry: DepartmentMonitoringEntry, edit: DepartmentEdit) -> None:
    entry.basic_adjusted = round2(edit.basic_adjusted)
    entry.basic_spent = round2(edit.basic_spent)
    entry.project_adjusted = round2(edit.project_adjusted)
    entry.project_spent = round2(edit.project_spent)
    entry.conclusion = edit.conclusion
    entry.conclusion_note = edit.note.strip()
    entry.budget_deviation_category = edit.budget_deviation_category
    entry.budget_deviation_reason = edit.budget_deviation_reason.strip()
    entry.budget_corrective_action = edit.budget_corrective_action.strip()
    rows = {mi.indicator_id: mi for mi in entry.indicators}
    for item in edit.indicators:
        row = rows[item.indicator_id]
        row.current_value = item.current_value
        row.current_text = item.current_text.strip()
        row.likelihood = item.likelihood
        row.expected_value = item.expected_value
        row.deviation_category = item.deviation_category
        row.deviation_reason = item.deviation_reason.strip()
        row.corrective_action = item.corrective_action.strip()


def _snapshot(entry: DepartmentMonitoringEntry) -> dict[str, Any]:
    fields = (*_EDITED, "conclusion", "conclusion_note")
    snapshot: dict[str, Any] = {name: getattr(entry, name) for name in fields}
    for mi in entry.indicators:
        snapshot[f"{mi.indicator.name}（{mi.indicator_id}）"] = {
            name: getattr(mi, name) for name in CARRIED_INDICATOR
        }
    return snapshot
