"""Record versions: nothing one seat saves is silently overwritten by another.

Every record a user edits in a form carries `version` (models.base.Versioned); every write
to it, or to a row that is part of it (a goal's indicator rows and project header, an
entry's indicator rows, a review's items…), bumps it in `before_flush`. Bulk statements
bypass the ORM: their writers (the goals and self-evaluation imports) call `bump`.

A form remembers the version it loaded and its save calls `check`: a record that moved on
since then, or was deleted or moved to the 回收站, is refused with `StaleRecordError`, which
names who changed it and when (from the audit trail) and carries their values, so the
conflict dialog (app/ui/widgets/conflict_dialog.py) can let the user choose field by field.
The check reads the version `FOR UPDATE`: on PostgreSQL two seats saving at once queue on
the row, and the second one sees the first one's version, never a lost update.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NoReturn

from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import LastChange, StaleRecordError, UserError
from app.storage.models import (
    AuditEntry,
    DepartmentMonitoringIndicator,
    Goal,
    Indicator,
    KeyEvaluationItem,
    MonitoringIndicator,
    Project,
    ReviewItem,
    SelfEvaluationIndicator,
)
from app.storage.models.base import Versioned

# Rows that are part of a versioned record, by the relationship that leads to it.
_PART_OF: dict[type, str] = {
    Indicator: "goal",
    Project: "goal",
    MonitoringIndicator: "entry",
    DepartmentMonitoringIndicator: "entry",
    SelfEvaluationIndicator: "evaluation",
    ReviewItem: "review",
    KeyEvaluationItem: "evaluation",
}


NOT_CREATED = 0  # the version a form names for a record it will create (a first review)


def watch(sessions: sessionmaker[Session]) -> None:
    event.listen(sessions, "before_flush", _bump_changed)


def bump(session: Session, ids: Iterable[int], model: type[Versioned] = Goal) -> None:
    """After a bulk write: these records (goals unless named) changed."""
    changed = sorted(set(ids))
    if changed:
        table = model.__table__  # type: ignore[attr-defined]
        statement = update(table).where(table.c.id.in_(changed))
        session.execute(statement.values(version=table.c.version + 1))


def check(
    session: Session,
    record: Versioned | None,
    loaded_version: int | None,
    kind: str,
    record_id: int,
    label: str,
    *,
    binned: bool = False,
) -> None:
    """Refuse saving what was loaded at `loaded_version` (None: no check, e.g. a script) when
    the stored record moved on, no longer exists (`record` None) or is in the 回收站.
    Version 0 means "not created yet when loaded": another seat creating it first counts as
    a change."""
    if loaded_version is None or (record is None and loaded_version == NOT_CREATED):
        return
    if record is None or binned:
        refuse_gone(session, kind, record_id, label)
    session.refresh(record, ["version"], with_for_update=True)
    if record.version != loaded_version:
        change = last_change(session, kind, record_id)
        raise StaleRecordError(label, change, gone=False, version=record.version)


def refuse_gone(session: Session, kind: str, record_id: int, label: str) -> NoReturn:
    """The record a form loaded was deleted or binned since: refuse, never bring it back."""
    raise StaleRecordError(label, last_change(session, kind, record_id), gone=True, version=None)


def flush_first(session: Session, message: str) -> None:
    """Flush rows a unique constraint allows once (a review per sample, a sample per year):
    when another seat stored theirs first, refuse with `message` instead of a raw
    UniqueViolation. The transaction is then rolled back by its owner."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserError(message) from exc


def last_change(session: Session, kind: str, record_id: int) -> LastChange:
    entry = session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == kind, AuditEntry.object_id == record_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return LastChange()
    values = json.loads(entry.after_json) if entry.after_json else {}
    who = entry.display_name or entry.user
    return LastChange(who, entry.at, entry.action, values if isinstance(values, dict) else {})


def _bump_changed(session: Session, _context: Any, _instances: Any) -> None:
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    records = {r for obj in (*changed, *session.deleted, *session.new) if (r := _record_of(obj))}
    for record in records:
        if record not in session.new and record not in session.deleted:
            record.version = (record.version or 1) + 1


def _record_of(obj: object) -> Versioned | None:
    """The versioned record `obj` is, or is part of, if any."""
    if isinstance(obj, Versioned):
        return obj
    relation = _PART_OF.get(type(obj))
    owner = getattr(obj, relation) if relation else None
    return owner if isinstance(owner, Versioned) else None
