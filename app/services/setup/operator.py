"""Who is working at this seat: ONE identity printed as 审核人 / 复核人 / 抽取人 and kept in
the audit trail.

Several seats share one database, so the name belongs to the seat, never to the database:
the GUI asks at start and remembers the answer in the seat's own preferences (per OS
account, app/ui/preferences.py), the CLI takes `--operator` or the environment variable
BPM_OPERATOR; both call `choose`. Without a choice the record says 未署名 — never the OS
login name (often `root` or `Administrator`), which the audit trail keeps in its own column.
Names used before are listed in the database (settings `operators`), so every seat's
sign-in offers them; the list names nobody as working.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.storage.database import Database
from app.storage.models import Setting

OPERATORS_KEY = "operators"
ENVIRONMENT = "BPM_OPERATOR"
UNNAMED = "未署名"
MAX_NAME = 30

_chosen = ""  # for this process: one person works in one program window


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise UserError(f"操作人员姓名最多 {MAX_NAME} 个字，请缩短后再保存。")
    return name


def choose(name: str) -> str:
    """Work as `name` from now on (blank: fall back to the saved name)."""
    global _chosen
    _chosen = checked_name(name)
    return _chosen


def chosen() -> str:
    return _chosen


def operator_name(_session: Session | None = None) -> str:
    """The person working at this seat; may be empty."""
    return _chosen


def actor(_session: Session | None = None) -> str:
    """What review boxes, revision lists and forms print."""
    return _chosen or UNNAMED


def known_operators(session: Session) -> list[str]:
    stored = session.scalar(select(Setting.value).where(Setting.key == OPERATORS_KEY)) or ""
    return [n for n in stored.splitlines() if n.strip()]


def remember_operator(session: Session, name: str) -> None:
    """Offer `name` at the next start (a list of names, not data: not audited)."""
    names = known_operators(session)
    if name and name not in names:
        session.merge(Setting(key=OPERATORS_KEY, value="\n".join([*names, name])))


def start_working_as(db: Database, name: str) -> str:
    """The start dialog's answer: work as `name` and offer it next time."""
    from app.services.common import audit  # audit asks this module who is working: import late

    name = choose(name)
    if db.read_only or not name:
        return name
    with db.transaction() as session:
        if name not in known_operators(session):
            remember_operator(session, name)
            audit.record(
                session,
                "登记操作人员",
                audit.SETTINGS,
                label="操作人员名单",
                after={"操作人员": name},
            )
    return name
