"""Two seats on one database: a commit on one reaches the other's subscribers after a poll;
a seat never hears its own commits twice; the feed is pruned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from app.services.common.change_feed import ChangeFeed
from app.storage import changes, kinds
from app.storage.database import Database, open_database
from app.storage.models import ChangeFeedEntry, Department, FiscalYear


@pytest.fixture
def seat_b(db: Database) -> Iterator[Database]:
    other = open_database(db.target)
    yield other
    other.close()


def _heard(db: Database) -> list[frozenset[str]]:
    heard: list[frozenset[str]] = []
    db.subscribe(heard.append)
    return heard


def _feed_rows(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.execute(select(ChangeFeedEntry.seat, ChangeFeedEntry.kinds).order_by("id"))
        return [(seat, text) for seat, text in rows]


def test_a_commit_on_one_seat_reaches_the_other_after_a_poll(db: Database, seat_b: Database):
    feed_b, feed_a = ChangeFeed(seat_b), ChangeFeed(db)
    heard_b, heard_a = _heard(seat_b), _heard(db)
    with db.transaction() as s:
        s.add_all([FiscalYear(year=2024), Department(code="101001", name="县委办公室")])
    assert heard_b == []  # nothing reaches seat B before it polls
    assert feed_b.poll() == {kinds.YEAR, kinds.DEPARTMENT}
    assert heard_b == [{kinds.YEAR, kinds.DEPARTMENT}]
    assert feed_b.poll() == frozenset() and len(heard_b) == 1  # each row is news once
    assert feed_a.poll() == frozenset()  # seat A heard its own commit when it made it
    assert heard_a == [{kinds.YEAR, kinds.DEPARTMENT}]
    assert _feed_rows(db) == [(db.seat, "department,year")]


def test_bulk_writes_are_fed_and_rollbacks_are_not(db: Database, seat_b: Database):
    with db.transaction() as s:
        s.add(Department(code="101001", name="县委办公室"))
    feed_b = ChangeFeed(seat_b)  # opened later: what happened before is not news
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.add(FiscalYear(year=2024))
        s.flush()
        raise RuntimeError("失败")
    assert feed_b.poll() == frozenset()
    with db.transaction() as s:
        s.execute(update(Department).values(name="县委办"))
    assert feed_b.poll() == {kinds.DEPARTMENT}
    assert len(_feed_rows(db)) == 2


def test_a_row_committed_late_under_a_lower_id_is_still_heard(db: Database, seat_b: Database):
    """On a server, ids are taken at insert and rows become visible at commit."""
    feed_b = ChangeFeed(seat_b)
    with db.session() as s:
        top = s.scalar(select(func.max(ChangeFeedEntry.id))) or 0
    with db.transaction() as s:
        s.execute(insert(ChangeFeedEntry).values(id=top + 2, seat="x", kinds="year", at=_now()))
    assert feed_b.poll() == {kinds.YEAR}
    with db.transaction() as s:  # the transaction that took top + 1 commits last
        s.execute(insert(ChangeFeedEntry).values(id=top + 1, seat="y", kinds="goal", at=_now()))
    assert feed_b.poll() == {kinds.GOAL}


def test_a_seat_away_longer_than_the_feed_is_kept_reloads_everything(db: Database):
    now = [0.0]
    feed = ChangeFeed(db, clock=lambda: now[0])
    now[0] += changes.FEED_KEPT.total_seconds()
    heard = _heard(db)
    assert feed.poll() == kinds.ALL_KINDS
    assert heard == [kinds.ALL_KINDS]


def test_rows_older_than_a_day_are_pruned_now_and_then(db: Database, monkeypatch):
    with db.transaction() as s:
        for at in (_old(), _old(), _now()):
            s.execute(insert(ChangeFeedEntry).values(seat="x", kinds="goal", at=at))
    with db.transaction() as s:
        s.add(FiscalYear(year=2024))  # not the PRUNE_EVERY-th row: nothing pruned
    assert len(_feed_rows(db)) == 4
    monkeypatch.setattr(changes, "PRUNE_EVERY", 1)
    with db.transaction() as s:
        s.add(Department(code="101001", name="县委办公室"))
    assert _feed_rows(db) == [("x", "goal"), (db.seat, "year"), (db.seat, "department")]


def test_unknown_kinds_in_the_feed_are_ignored(db: Database, seat_b: Database):
    """A newer program's seat may announce a kind this one does not know."""
    feed_b = ChangeFeed(seat_b)
    with db.transaction() as s:
        s.execute(insert(ChangeFeedEntry).values(seat="x", kinds="goal,future_kind", at=_now()))
    assert feed_b.poll() == {kinds.GOAL}


def _now() -> datetime:
    return datetime.now()


def _old() -> datetime:
    return datetime.now() - changes.FEED_KEPT - timedelta(minutes=1)
