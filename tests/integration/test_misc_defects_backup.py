"""QA round 2: no daily backup of a database that holds no data yet (the demo's only daily
backup was the empty file it was about to fill); the next opening makes it."""

from __future__ import annotations

from datetime import datetime

from app.services.common.backups import (
    ensure_daily_backup,
    holds_data,
    list_backups,
    open_for_writing,
)
from app.services.demo import build_demo
from app.storage.models import Department
from tests.integration.test_backups import add_year

DAY = datetime(2025, 5, 1, 9, 0)


def test_an_empty_database_gets_no_daily_backup_until_it_holds_data(db):
    assert not holds_data(db)
    assert ensure_daily_backup(db, now=DAY) is None
    assert list_backups(db) == []
    add_year(db, 2025, projects=1)
    assert holds_data(db)
    assert ensure_daily_backup(db, now=DAY.replace(hour=10)) is not None
    assert [b.reason for b in list_backups(db)] == ["daily"]


def test_units_alone_are_data_worth_a_backup(db):
    with db.transaction() as s:
        s.add(Department(code="219001", name="县教育局"))
    assert holds_data(db)
    assert ensure_daily_backup(db, now=DAY) is not None


def test_a_new_file_filled_by_the_demo_is_backed_up_at_the_next_opening(tmp_path):
    path = tmp_path / "demo.sqlite3"
    opened = open_for_writing(path, now=DAY)
    try:
        assert opened.daily_backup is None and opened.backup_warning == ""
        build_demo(opened.db, scale=0.05)
    finally:
        opened.close()
    reopened = open_for_writing(path, now=DAY.replace(hour=11))
    try:
        assert reopened.daily_backup is not None
        [daily] = list_backups(reopened.db)
        assert daily.reason_label == "每日自动备份"
        assert {y.year for y in daily.years} == {2024, 2025} and daily.total_rows > 0
    finally:
        reopened.close()
