"""The audit trail: every change made through a service records who, when and what."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import AuditEntry, Setting

DISPLAY_NAME_KEY = "user.display_name"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (some service accounts)
        return "未知用户"


def display_name(session: Session) -> str:
    return session.scalar(select(Setting.value).where(Setting.key == DISPLAY_NAME_KEY)) or ""


def actor(session: Session) -> str:
    """The name shown in review boxes and revision lists: display name, else OS user."""
    return display_name(session) or os_user()


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


def _dump(data: dict[str, Any] | None) -> str:
    if not data:
        return ""
    return json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
