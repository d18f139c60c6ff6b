"""Other seats' changes: read from the change feed and announced on this seat.

Every announcing commit writes one `change_feed` row (storage/changes.py). A seat polls
the ids above a recent mark (one indexed query, usually answering nothing new) and
announces the kinds of the rows it has not seen and did not write itself through
`Database.announce`, so open pages reload exactly as after a commit made here.

Ids are remembered over a window below the highest seen, not just the highest: on a
server, a transaction that took id 10 may commit after one that took id 11.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import func, select

from app.storage.changes import FEED_KEPT
from app.storage.database import Database
from app.storage.kinds import ALL_KINDS
from app.storage.models import ChangeFeedEntry

POLL_SECONDS = 2.0
WINDOW = 200  # ids below the highest seen that are still looked at


class ChangeFeed:
    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        with db.session() as session:
            self._top: int = session.scalar(select(func.max(ChangeFeedEntry.id))) or 0
        self._seen = self._ids_above(self._top - WINDOW)  # what is there now is not news
        self._polled_at = clock()

    def poll(self) -> frozenset[str]:
        """Announce what other seats committed since the last poll; returns those kinds."""
        now = self._clock()
        away, self._polled_at = now - self._polled_at, now
        ids = self._ids_above(self._top - WINDOW)
        new = ids - self._seen
        kinds = self._kinds_of(new)
        if away > FEED_KEPT.total_seconds() / 2:
            kinds = ALL_KINDS  # asleep so long that rows may have been pruned unseen
        self._top = max(ids, default=self._top)
        self._seen = {i for i in self._seen | new if i > self._top - WINDOW}
        if kinds:
            self._db.announce(kinds)
        return kinds

    def _ids_above(self, low: int) -> set[int]:
        with self._db.session() as session:
            return set(session.scalars(select(ChangeFeedEntry.id).where(ChangeFeedEntry.id > low)))

    def _kinds_of(self, ids: set[int]) -> frozenset[str]:
        if not ids:
            return frozenset()
        query = select(ChangeFeedEntry.kinds).where(
            ChangeFeedEntry.id.in_(sorted(ids)), ChangeFeedEntry.seat != self._db.seat
        )
        with self._db.session() as session:
            rows = session.scalars(query).all()
        return frozenset(k for row in rows for k in row.split(",") if k in ALL_KINDS)
