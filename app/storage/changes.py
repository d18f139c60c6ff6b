"""What a committed transaction changed, announced to whoever listens.

Sessions note the tables they write (ORM flushes and bulk insert/update/delete statements);
after a commit the Database hands the kinds of those tables (storage/kinds.py) to its
subscribers; a rollback (or closing without a commit) forgets them. Subscribers run on the
thread that committed, after the commit, and must not touch the session (the GUI relays
them to its own thread).

Seam for several seats: `Database.change_count` grows with every announcing commit; a
server backend can bump it from a notification channel and announce the kinds it names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.storage.kinds import kinds_of_tables

log = logging.getLogger(__name__)

Subscriber = Callable[[frozenset[str]], None]
_TABLES = "changed_tables"  # key in Session.info


def watch(sessions: sessionmaker[Session], announce: Callable[[frozenset[str]], None]) -> None:
    """Call `announce(kinds)` after each commit of a session from `sessions` that wrote."""

    def after_flush(session: Session, _context: Any) -> None:
        dirty = [obj for obj in session.dirty if session.is_modified(obj)]
        written = (*session.new, *dirty, *session.deleted)
        session.info.setdefault(_TABLES, set()).update(o.__table__.name for o in written)

    def do_orm_execute(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if table is not None:
                state.session.info.setdefault(_TABLES, set()).add(table.name)

    def after_commit(session: Session) -> None:
        tables = session.info.pop(_TABLES, set())
        if tables:
            announce(kinds_of_tables(tables))

    def after_transaction_end(session: Session, transaction: Any) -> None:
        if transaction.parent is None:  # whatever is left was rolled back, not committed
            session.info.pop(_TABLES, None)

    event.listen(sessions, "after_flush", after_flush)
    event.listen(sessions, "do_orm_execute", do_orm_execute)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", after_transaction_end)


def notify(subscribers: list[Subscriber], kinds: frozenset[str]) -> None:
    """Tell every subscriber; one failing does not stop the others (the data is saved)."""
    for subscriber in list(subscribers):
        try:
            subscriber(kinds)
        except Exception:
            log.exception("变更通知处理失败：%s", sorted(kinds))
