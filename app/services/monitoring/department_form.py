"""What the 部门整体 entry form needs: the row, the lamps' inputs, and live previews.

As for a project (app.services.monitoring.entry_form): the form lights lamps while the
user types with the domain's own evaluate_round, on the inputs read here, so the lamps
on screen are the lamps saving will produce.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from app.domain.department_spending import DepartmentSpending, department_entry
from app.domain.errors import UserError
from app.domain.lamps import RoundEntry, evaluate_round, execution_rate, missing_reasons
from app.domain.rules import RuleSet
from app.services.monitoring.department import (
    DepartmentMonitoringRow,
    indicator_records,
    load_department_rows,
)
from app.services.monitoring.department_entries import DepartmentEdit
from app.services.monitoring.entry_form import CATEGORY_OF, Preview, progress_edited
from app.services.monitoring.loading import progress_of
from app.services.monitoring.rounds import CLOSED
from app.storage.database import Database
from app.storage.models import DepartmentMonitoringEntry, MonitoringRound


@dataclass(frozen=True)
class DepartmentForm:
    row: DepartmentMonitoringRow
    basis: RoundEntry  # the domain's input as stored; indicators in the row's order
    closed: bool


def department_form(db: Database, entry_id: int, rules: RuleSet) -> DepartmentForm:
    """Read one department-wide entry with everything the form shows and previews."""
    with db.session() as session:
        found = session.execute(
            select(DepartmentMonitoringEntry.round_id, MonitoringRound.status)
            .join(MonitoringRound, DepartmentMonitoringEntry.round_id == MonitoringRound.id)
            .where(DepartmentMonitoringEntry.id == entry_id)
        ).first()
        if found is None:
            raise UserError(
                f"部门整体监控记录（编号 {entry_id}）不存在，可能已被删除，请刷新后重试。"
            )
        round_id, status = found
        row = load_department_rows(session, [round_id], rules, entry_id=entry_id)[0]
        items = indicator_records(session, [entry_id]).get(entry_id, [])
    spending = DepartmentSpending(
        row.basic_adjusted, row.basic_spent, row.project_adjusted, row.project_spent
    )
    indicators = tuple(progress_of(item, n) for n, item in enumerate(items, start=1))
    basis = department_entry(row.month, spending, indicators)
    return DepartmentForm(row, basis, status == CLOSED)


def department_preview(form: DepartmentForm, edit: DepartmentEdit, rules: RuleSet) -> Preview:
    """The lamps and missing reasons the edit would have once saved (nothing is saved)."""
    by_id = {item.indicator_id: item for item in edit.indicators}
    indicators = tuple(
        base if (item := by_id.get(row.indicator_id)) is None else progress_edited(base, item)
        for row, base in zip(form.row.indicators, form.basis.indicators, strict=True)
    )
    spending = DepartmentSpending(
        edit.basic_adjusted, edit.basic_spent, edit.project_adjusted, edit.project_spent
    )
    entry = replace(
        department_entry(form.row.month, spending, indicators),
        budget_deviation_category=CATEGORY_OF.get(edit.budget_deviation_category),
        budget_deviation_reason=edit.budget_deviation_reason,
    )
    lamps = evaluate_round(entry, rules)
    return Preview(
        execution_rate(entry.budget, entry.spent), lamps, tuple(missing_reasons(entry, lamps))
    )
