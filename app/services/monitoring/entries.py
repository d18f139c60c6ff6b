"""Entering a project's figures for a round: money, indicator progress, reasons, conclusion.

Design decisions:
- The edit replaces the entry's money and conclusion, and each listed indicator row in
  full; indicator rows not listed stay as they are.
- Every problem is collected before anything is saved; a blocking one saves nothing.
  Spending above the budget is only a warning (a department may overspend its plan).
- The result carries the re-lit row and the reasons still needed before closing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, DeviationCategory, Likelihood, MonitoringConclusion
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.lamps import QualitativeProgress
from app.domain.money import round2
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.monitoring.rounds import CLOSED
from app.services.monitoring.views import BUDGET_COLUMNS, ProjectMonitoringRow, load_rows
from app.storage import versions
from app.storage.database import Database
from app.storage.models import (
    FiscalYear,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    Project,
)


@dataclass(frozen=True)
class IndicatorEdit:
    indicator_id: int  # indicators.id of the project's goal
    current_value: Decimal | None = None  # quantitative indicators
    current_text: str = ""  # qualitative: 达成 / 部分达成 / 未达成
    likelihood: str = ""  # Likelihood
    expected_value: Decimal | None = None
    deviation_category: str = ""  # DeviationCategory
    deviation_reason: str = ""
    corrective_action: str = ""


@dataclass(frozen=True)
class EntryEdit:
    adjusted_budget: Decimal  # A, 元
    spent: Decimal  # B to date, 元
    conclusion: str = ""  # MonitoringConclusion, or blank while undecided
    note: str = ""
    indicators: tuple[IndicatorEdit, ...] = ()
    # 偏差原因 of the budget lamp (required when it is red or yellow, before closing)
    budget_deviation_category: str = ""  # DeviationCategory
    budget_deviation_reason: str = ""
    budget_corrective_action: str = ""


@dataclass(frozen=True)
class EntryResult:
    row: ProjectMonitoringRow  # the entry re-read, with its lamps
    problems: tuple[Problem, ...]  # warnings (non-blocking) and reasons needed to close

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)


def update_entry(
    db: Database, entry_id: int, edit: EntryEdit, rules: RuleSet, loaded_version: int | None = None
) -> EntryResult:
    """Save a project's figures for an open round and light its lamps. With `loaded_version`
    (the row's version when the form opened), an entry changed since then is refused."""
    with db.transaction() as session:
        entry, code, label = _open_entry(session, entry_id, loaded_version)
        versions.check(
            session, entry, loaded_version, audit.MONITORING_ENTRY, entry_id, f"{label}的监控记录"
        )
        known = _indicators(session, entry.id)
        problems = check_edit(code, edit, known)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            summary = f"项目 {code} 的监控数据有 {len(blocking)} 个问题，未保存："
            raise ValidationFailed(blocking, summary)
        apply_edit(session, entry, edit, label)
        session.flush()
        row = load_rows(session, [entry.round_id], rules, entry_id=entry.id)[0]
    return EntryResult(row, (*problems, *row.missing_reasons))


def _open_entry(
    session: Session, entry_id: int, loaded_version: int | None = None
) -> tuple[MonitoringEntry, str, str]:
    found = session.execute(
        select(
            MonitoringEntry,
            Project.code,
            MonitoringRound.month,
            MonitoringRound.status,
            FiscalYear.year,
        )
        .join(Project, MonitoringEntry.project_id == Project.id)
        .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
        .join(FiscalYear, MonitoringRound.year_id == FiscalYear.id)
        .where(MonitoringEntry.id == entry_id, *live.only(Project))
    ).first()
    if found is None:
        versions.check(
            session, None, loaded_version, audit.MONITORING_ENTRY, entry_id, "该监控记录"
        )
        raise UserError(f"监控记录（编号 {entry_id}）不存在，可能已被删除，请刷新后重试。")
    entry, code, month, status, year = found
    if status == CLOSED:
        raise UserError(f"{year}年{month}月监控轮次已关闭，不能修改项目 {code} 的监控数据。")
    return entry, code, f"{year}年{month}月 项目 {code}"


def _indicators(session: Session, entry_id: int) -> dict[int, tuple[str, Comparator]]:
    """Name and comparator of each indicator of the entry, by indicator id."""
    stmt = (
        select(Indicator.id, Indicator.name, Indicator.comparator)
        .join(MonitoringIndicator, MonitoringIndicator.indicator_id == Indicator.id)
        .where(MonitoringIndicator.entry_id == entry_id)
    )
    return {i: (name, Comparator(c)) for i, name, c in session.execute(stmt)}


def check_edit(
    code: str, edit: EntryEdit, known: dict[int, tuple[str, Comparator]]
) -> list[Problem]:
    """Every problem of an edit (blocking or warning), as update_entry checks it. `known`:
    name and comparator of the entry's indicators by indicator id. Used by imports too."""
    return check_money(code, edit) + _check_indicators(code, edit, known)


def check_money(code: str, edit: EntryEdit) -> list[Problem]:
    """Problems of the project-level part of an edit: money, conclusion, budget reason."""
    problems = []
    for column, value in (("调整后预算", edit.adjusted_budget), ("执行数", edit.spent)):
        if value < 0:
            message = f"项目 {code}：{column}不能为负数（{value} 元）"
            problems.append(Problem(message, column=column))
    if edit.spent > edit.adjusted_budget >= 0:
        message = f"项目 {code}：执行数 {edit.spent} 元超过调整后预算 {edit.adjusted_budget} 元"
        problems.append(Problem(message + "，请核实", column="执行数", blocking=False))
    problems += check_choice(f"项目 {code}", "处理意见", edit.conclusion, MonitoringConclusion)
    category = BUDGET_COLUMNS["偏差原因类别"]
    problems += check_choice(
        f"项目 {code}", category, edit.budget_deviation_category, DeviationCategory
    )
    return problems


def check_choice(where: str, column: str, value: str, enum: type[StrEnum]) -> list[Problem]:
    if not value or value in enum._value2member_map_:
        return []
    choices = " / ".join(member.value for member in enum)
    return [Problem(f"{where}：{column}“{value}”不是可选项（{choices}）", column=column)]


def _check_indicators(
    code: str, edit: EntryEdit, known: dict[int, tuple[str, Comparator]]
) -> list[Problem]:
    problems = []
    counts = Counter(item.indicator_id for item in edit.indicators)
    for item in edit.indicators:
        if counts[item.indicator_id] > 1 and item.indicator_id in known:
            where = f"项目 {code} 指标“{known[item.indicator_id][0]}”"
            problems.append(Problem(f"{where}重复填报了 {counts[item.indicator_id]} 次"))
        problems += check_indicator(code, item, known)
    return problems


def check_indicator(
    code: str, item: IndicatorEdit, known: dict[int, tuple[str, Comparator]]
) -> list[Problem]:
    """The problems of one indicator row of an edit (duplicates are the caller's check)."""
    if item.indicator_id not in known:
        message = f"项目 {code}：指标（编号 {item.indicator_id}）不属于本项目本轮的监控指标"
        return [Problem(message)]
    name, comparator = known[item.indicator_id]
    where = f"项目 {code} 指标“{name}”"
    return [
        *_check_progress(where, item, comparator),
        *check_choice(where, "完成可能性", item.likelihood, Likelihood),
        *check_choice(where, "偏差原因类别", item.deviation_category, DeviationCategory),
    ]


def _check_progress(where: str, item: IndicatorEdit, comparator: Comparator) -> list[Problem]:
    if comparator is Comparator.QUALITATIVE:
        if item.current_value is not None:
            return [Problem(f"{where}为定性指标，当前完成值应填写达成情况而非数值")]
        if item.current_text and item.current_text not in QualitativeProgress._value2member_map_:
            choices = " / ".join(p.value for p in QualitativeProgress)
            return [Problem(f"{where}：完成情况“{item.current_text}”不是可选项（{choices}）")]
        return []
    if item.current_text.strip():
        return [Problem(f"{where}为定量指标，当前完成值应填写数字，而不是“{item.current_text}”")]
    return []


def apply_edit(
    session: Session, entry: MonitoringEntry, edit: EntryEdit, label: str, action: str = "update"
) -> bool:
    """Write a checked edit onto an entry (with its indicators loaded) and audit the fields
    it changed; returns whether anything changed (nothing → no audit entry)."""
    before = _snapshot(entry, edit)
    _apply(entry, edit)
    old, new = _changes(before, _snapshot(entry, edit))
    if old or new:
        audit.record(session, action, audit.MONITORING_ENTRY, entry.id, label, old, new)
    return bool(old or new)


def _changes(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the changed fields, and of the indicators only the changed ones and fields."""
    old, new = audit.changed_only(_without(before), _without(after))
    old_rows, new_rows = {}, {}
    for name, was in before["indicators"].items():
        was_changed, now_changed = audit.changed_only(was, after["indicators"][name])
        if was_changed or now_changed:
            old_rows[name], new_rows[name] = was_changed, now_changed
    if new_rows:
        old["indicators"], new["indicators"] = old_rows, new_rows
    return old, new


def _without(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k != "indicators"}


def _apply(entry: MonitoringEntry, edit: EntryEdit) -> None:
    rows = {mi.indicator_id: mi for mi in entry.indicators}
    entry.adjusted_budget = round2(edit.adjusted_budget)
    entry.spent = round2(edit.spent)
    entry.conclusion = edit.conclusion
    entry.conclusion_note = edit.note.strip()
    entry.budget_deviation_category = edit.budget_deviation_category
    entry.budget_deviation_reason = edit.budget_deviation_reason.strip()
    entry.budget_corrective_action = edit.budget_corrective_action.strip()
    for item in edit.indicators:
        row = rows[item.indicator_id]
        row.current_value = item.current_value
        row.current_text = item.current_text.strip()
        row.likelihood = item.likelihood
        row.expected_value = item.expected_value
        row.deviation_category = item.deviation_category
        row.deviation_reason = item.deviation_reason.strip()
        row.corrective_action = item.corrective_action.strip()


def _snapshot(entry: MonitoringEntry, edit: EntryEdit) -> dict[str, Any]:
    """The entry's money, conclusion and the edited indicator rows (by indicator name, as
    the 操作日志 shows them), for the audit trail."""
    edited = {item.indicator_id for item in edit.indicators}
    rows = [mi for mi in entry.indicators if mi.indicator_id in edited]
    names = [mi.indicator.name for mi in rows]
    return {
        "adjusted_budget": entry.adjusted_budget,
        "spent": entry.spent,
        "conclusion": entry.conclusion,
        "conclusion_note": entry.conclusion_note,
        "budget_deviation_category": entry.budget_deviation_category,
        "budget_deviation_reason": entry.budget_deviation_reason,
        "budget_corrective_action": entry.budget_corrective_action,
        "indicators": {
            # two indicators of one goal may share a name: the id tells them apart
            (name if names.count(name) == 1 else f"{name}（{mi.indicator_id}）"): {
                "current_value": mi.current_value,
                "current_text": mi.current_text,
                "likelihood": mi.likelihood,
                "expected_value": mi.expected_value,
                "deviation_category": mi.deviation_category,
                "deviation_reason": mi.deviation_reason,
                "corrective_action": mi.corrective_action,
            }
            for mi, name in zip(rows, names, strict=True)
        },
    }
