"""The audit trail: every change made through a service records who, when and what.

Each entry holds the OS account (always) and the display name from settings (may be empty),
the time, an action (a short Chinese phrase such as “修改绩效目标”, or one of the verbs of
audit_log.ACTION_LABELS), the object's type (one of the codes of app/storage/kinds.py, which
change announcements share; labelled in
audit_log.OBJECT_LABELS), id and a label a person recognises (project code, file name), and
what changed as two JSON objects, before and after. Keys are Chinese field names, or the
English names audit_log.FIELD_LABELS translates.

What gets an entry (tests/integration/test_audit_coverage.py checks every service):
- one object changed by hand (a goal saved, a review, an exemption): one entry with the
  fields that changed, before → after (`changed_only` drops the unchanged ones);
- status changes in bulk (approve/return many goals): one small entry per goal, as if each
  had been done by hand: they are cheap (status, revision, reason) and each goal's history
  needs them;
- imports: ONE entry per import with the file name, counts and the codes added and changed
  (a per-object entry only for objects that existed before and changed, holding only the
  changed fields, plus new years, 股室 and units). A first import of 2,200 projects thus
  writes one entry, not 2,200 blobs with whole goals: the import file and the before-import
  backup hold the content;
- a year rolled over, a sample drawn, proposals generated: one entry with counts and codes.
Not audited, on purpose: reading; automatic backups (daily, before an import) and their
rotation, which change no data and are listed on the 备份 page; building the demo county
(`demo`, deterministic sample data on an empty database only).
"""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.setup import operator
from app.storage.kinds import (  # object types, re-exported: callers write audit.GOAL
    BUDGET_ADJUSTMENT,
    CARRIED_CUT,
    DATABASE,
    DEPARTMENT,
    DISCLOSURE,
    GOAL,
    KEY_EVALUATION,
    LIBRARY_INDICATOR,
    MONITORING_DEPARTMENT_ENTRY,
    MONITORING_ENTRY,
    MONITORING_ROUND,
    PRE_ASSESSMENT,
    PROJECT,
    RECTIFICATION,
    SECTION,
    SELF_EVALUATION,
    SETTINGS,
    SPOT_CHECK_BATCH,
    SPOT_CHECK_REVIEW,
    YEAR,
)
from app.storage.models import AuditEntry

__all__ = [
    "BUDGET_ADJUSTMENT",
    "CARRIED_CUT",
    "DATABASE",
    "DEPARTMENT",
    "DISCLOSURE",
    "GOAL",
    "KEY_EVALUATION",
    "LIBRARY_INDICATOR",
    "MONITORING_DEPARTMENT_ENTRY",
    "MONITORING_ENTRY",
    "MONITORING_ROUND",
    "PRE_ASSESSMENT",
    "PROJECT",
    "RECTIFICATION",
    "SECTION",
    "SELF_EVALUATION",
    "SETTINGS",
    "SPOT_CHECK_BATCH",
    "SPOT_CHECK_REVIEW",
    "YEAR",
    "actor",
    "changed_only",
    "display_name",
    "last_change",
    "os_user",
    "record",
]


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (some service accounts)
        return "未知用户"


def display_name(session: Session) -> str:
    """The person working (services.setup.operator), as the entry's display name."""
    return operator.operator_name(session)


def actor(session: Session) -> str:
    """The name shown in review boxes and revision lists: never the OS login name."""
    return operator.actor(session)


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: int | None = None,
    label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=datetime.now(),
            user=os_user(),
            display_name=display_name(session),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=label,
            before_json=_dump(before),
            after_json=_dump(after),
        )
    )


def changed_only(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep the keys whose value differs; of a differing list keep the items not in the
    other one (the indicator rows removed and added), or all of it when only the order
    changed."""
    old, new = {}, {}
    for key in dict.fromkeys([*before, *after]):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if isinstance(was, list) and isinstance(now, list):
            removed, added = [v for v in was if v not in now], [v for v in now if v not in was]
            if removed or added:
                was, now = removed, added
        old[key], new[key] = was, now
    return old, new


def _dump(data: dict[str, Any] | None) -> str:
    if not data:
        return ""
    return json.dumps(data, ensure_ascii=False, default=str)  # in the order written


def last_change(session: Session, object_type: str, object_id: int) -> str:
    """The latest entry about an object, for messages: '2026-12-04 15:20 张三 修改绩效目标'."""
    entry = session.scalar(
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return "修改时间和操作人不详"
    return f"{entry.at:%Y-%m-%d %H:%M} {entry.display_name or entry.user} {entry.action}"
