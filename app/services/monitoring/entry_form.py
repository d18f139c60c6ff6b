"""What the entry form needs: one project's row, its lamps' inputs, and live previews.

Design decisions:
- The form lights lamps while the user types, before anything is saved. It does so with
  the same domain function the services use (evaluate_round), on the domain inputs read
  here, so the lamps on screen are exactly the lamps saving will produce.
- `preview` reads text as typed: a number that does not parse lights no lamp (the form
  shows that cell as wrong), a choice outside the vocabulary counts as blank.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import DeviationCategory
from app.domain.errors import Problem, UserError
from app.domain.lamps import (
    IndicatorProgress,
    QualitativeProgress,
    RoundEntry,
    RoundLamps,
    evaluate_round,
    execution_rate,
    missing_reasons,
)
from app.domain.rules import RuleSet
from app.services.monitoring.entries import EntryEdit, IndicatorEdit
from app.services.monitoring.loading import evaluated
from app.services.monitoring.rounds import CLOSED
from app.services.monitoring.views import ProjectMonitoringRow, load_rows
from app.storage.database import Database
from app.storage.models import MonitoringEntry, MonitoringRound

_QUALITATIVE = {q.value: q for q in QualitativeProgress}
CATEGORY_OF = {c.value: c for c in DeviationCategory}


@dataclass(frozen=True)
class EntryForm:
    row: ProjectMonitoringRow
    basis: RoundEntry  # the domain's input as stored; indicators in the row's order
    closed: bool  # the round is closed: the form is read-only


@dataclass(frozen=True)
class Preview:
    execution_rate: Decimal | None
    lamps: RoundLamps
    # Reasons needed before closing: an indicator's carry its 1-based `row`; the budget
    # lamp's have no row and name the field as "偏差原因类别" / "偏差原因" (domain names).
    missing: tuple[Problem, ...]


def entry_form(db: Database, entry_id: int, rules: RuleSet) -> EntryForm:
    """Read one project's entry with everything the form shows and needs to preview lamps."""
    with db.session() as session:
        found = session.execute(
            select(MonitoringEntry.round_id, MonitoringRound.status)
            .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
            .where(MonitoringEntry.id == entry_id)
        ).first()
        if found is None:
            raise UserError(f"监控记录（编号 {entry_id}）不存在，可能已被删除，请刷新后重试。")
        round_id, status = found
        rows = load_rows(session, [round_id], rules, entry_id=entry_id)
        basis = next(evaluated(session, [round_id], rules, entry_id)).entry
    return EntryForm(rows[0], basis, status == CLOSED)


def preview(form: EntryForm, edit: EntryEdit, rules: RuleSet) -> Preview:
    """The lamps and missing reasons the edit would have once saved (nothing is saved)."""
    by_id = {item.indicator_id: item for item in edit.indicators}
    indicators = []
    for row, base in zip(form.row.indicators, form.basis.indicators, strict=True):
        item = by_id.get(row.indicator_id)
        indicators.append(base if item is None else progress_edited(base, item))
    entry = replace(
        form.basis,
        budget=edit.adjusted_budget,
        spent=edit.spent,
        indicators=tuple(indicators),
        budget_deviation_category=CATEGORY_OF.get(edit.budget_deviation_category),
        budget_deviation_reason=edit.budget_deviation_reason,
    )
    lamps = evaluate_round(entry, rules)
    missing = tuple(missing_reasons(entry, lamps))
    return Preview(execution_rate(entry.budget, entry.spent), lamps, missing)


def progress_edited(base: IndicatorProgress, item: IndicatorEdit) -> IndicatorProgress:
    return replace(
        base,
        current_value=item.current_value,
        qualitative_progress=_QUALITATIVE.get(item.current_text.strip()),
        deviation_category=CATEGORY_OF.get(item.deviation_category),
        deviation_reason=item.deviation_reason,
    )
