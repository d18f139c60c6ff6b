"""What a committed transaction changed, announced to whoever listens.

Sessions note the tables they write (ORM flushes and bulk insert/update/delete statements);
after a commit the Database hands the kinds of those tables (storage/kinds.py) to its
subscribers; a rollback (or closing without a commit) forgets them. Subscribers run on the
thread that committed, after the commit, and must not touch the session (the GUI relays
them to its own thread).

Several seats on one database: each announcing commit also writes one `change_feed` row
(its seat, its kinds) in the same transaction, so it exists exactly when the data does;
every seat polls the feed (services/common/change_feed.py) and announces the other seats'
kinds through `Database.announce`. Rows older than a day are pruned now and then.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Session, sessionmaker

from app.storage.kinds import kinds_of_tables
from app.storage.models import ChangeFeedEntry

log = logging.getLogger(__name__)

Subscriber = Callable[[frozenset[str]], None]
_TABLES = "changed_tables"  # key in Session.info
FEED_KEPT = timedelta(days=1)  # a seat away longer reloads everything (change_feed.py)
PRUNE_EVERY = 200  # feed rows; pruning is one indexed DELETE


def new_seat() -> str:
    """An id for one open Database: its own feed rows are not news to it."""
    return uuid.uuid4().hex[:12]


def watch(
    sessions: sessionmaker[Session], announce: Callable[[frozenset[str]], None], seat: str
) -> None:
    """Call `announce(kinds)` after each commit of a session from `sessions` that wrote, and
    write those kinds into the change feed as `seat` within that commit."""

    def after_flush(session: Session, _context: Any) -> None:
        dirty = [obj for obj in session.dirty if session.is_modified(obj)]
        written = (*session.new, *dirty, *session.deleted)
        session.info.setdefault(_TABLES, set()).update(o.__table__.name for o in written)

    def do_orm_execute(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if table is not None:
                state.session.info.setdefault(_TABLES, set()).add(table.name)

    def before_commit(session: Session) -> None:
        session.flush()  # the commit would flush after this hook: the tables must be known now
        kinds = kinds_of_tables(session.info.get(_TABLES, set()))
        if kinds:
            write_feed(session, seat, kinds)

    def after_commit(session: Session) -> None:
        tables = session.info.pop(_TABLES, set())
        if tables:
            announce(kinds_of_tables(tables))

    def after_transaction_end(session: Session, transaction: Any) -> None:
        if transaction.parent is None:  # whatever is left was rolled back, not committed
            session.info.pop(_TABLES, None)

    event.listen(sessions, "after_flush", after_flush)
    event.listen(sessions, "do_orm_execute", do_orm_execute)
    event.listen(sessions, "before_commit", before_commit)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", after_transaction_end)


def write_feed(session: Session, seat: str, kinds: frozenset[str]) -> None:
    """One feed row for this commit (its own table announces nothing: kinds.py)."""
    now = datetime.now()
    row = {"seat": seat, "kinds": ",".join(sorted(kinds)), "at": now}
    entry_id = session.scalar(insert(ChangeFeedEntry).values(row).returning(ChangeFeedEntry.id))
    if entry_id is not None and entry_id % PRUNE_EVERY == 0:
        session.execute(delete(ChangeFeedEntry).where(ChangeFeedEntry.at < now - FEED_KEPT))


def notify(subscribers: list[Subscriber], kinds: frozenset[str]) -> None:
    """Tell every subscriber; one failing does not stop the others (the data is saved)."""
    for subscriber in list(subscribers):
        try:
            subscriber(kinds)
        except Exception:
            log.exception("变更通知处理失败：%s", sorted(kinds))
