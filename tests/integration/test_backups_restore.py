"""Restoring a backup, refusing bad ones, and finding a good one for a damaged database."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import UserError
from app.services.common.audit_log import list_audit
from app.services.common.backups import (
    backup_before,
    create_backup,
    find_newest_good_backup,
    list_backups,
    open_backup,
    open_for_writing,
    restore_backup,
)
from app.storage.database import ReadOnlyDatabaseError, backups_dir_for, open_database
from app.storage.models import FiscalYear, Project
from tests.integration.test_backups import add_year

T0 = datetime(2025, 5, 1, 9, 0)


def project_count(path: Path) -> int:
    db = open_database(path)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Project)) or 0
    finally:
        db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100)


@pytest.fixture
def saved(tmp_path):
    """A closed database with 3 projects in 2024, its backup, then 2 more in 2025."""
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    add_year(db, 2024, projects=3)
    backup = backup_before(db, "import", now=T0)
    add_year(db, 2025, projects=2)
    db.close()
    return path, backup


def test_restore_backs_up_the_current_state_then_brings_the_backup_back(saved):
    path, backup = saved
    result = restore_backup(path, backup, now=T0.replace(hour=10))

    assert project_count(path) == 3
    assert result.safety_backup is not None and "before-restore" in result.safety_backup.name
    assert project_count(result.safety_backup) == 5
    assert not list(path.parent.glob("*.restore-tmp"))
    db = open_database(path)
    (entry,) = list_audit(db, object_type="database")
    db.close()
    assert entry.action == "restore" and entry.after["恢复自"] == backup.name


def test_restore_does_not_replay_a_crash_left_wal_onto_the_restored_file(saved):
    path, backup = saved
    wal = path.with_name(path.name + "-wal")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE projects SET name = 'from the wal'")
    conn.commit()
    frames = wal.read_bytes()
    conn.close()
    wal.write_bytes(frames)  # as a crash leaves it: committed frames beside the file

    restore_backup(path, backup)

    assert not wal.exists()
    assert project_count(path) == 3
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            conn.execute("SELECT count(*) FROM projects WHERE name = 'from the wal'").fetchone()[0]
            == 0
        )
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (damage, r"损坏|完整性"),
        (lambda p: p.write_bytes(b"PK\x03\x04 a workbook"), "不是本程序的数据库文件"),
        (
            lambda p: _sql(p, "UPDATE alembic_version SET version_num = '0099_future'"),
            "更新版本.*0099_future",
        ),
        (lambda p: _sql(p, "DROP TABLE alembic_version"), "其他程序"),
    ],
    ids=["damaged", "not-sqlite", "newer", "foreign"],
)
def test_a_bad_backup_is_refused_and_nothing_is_touched(saved, spoil, message):
    path, backup = saved
    spoil(backup)
    before_backups = {p.name for p in backups_dir_for(path).iterdir()}
    before_digest = digest(path)

    with pytest.raises(UserError, match=message):
        restore_backup(path, backup)

    assert digest(path) == before_digest
    assert {p.name for p in backups_dir_for(path).iterdir()} == before_backups
    assert project_count(path) == 5


def test_a_damaged_database_is_kept_as_raw_bytes_then_replaced(saved):
    path, backup = saved
    damage(path)
    damaged_bytes = path.read_bytes()
    with pytest.raises(UserError):
        open_database(path)

    result = restore_backup(path, backup, now=T0.replace(hour=11))

    assert result.safety_backup is not None and result.safety_backup.name.endswith(
        "damaged.sqlite3"
    )
    assert result.safety_backup.read_bytes() == damaged_bytes
    assert project_count(path) == 3


def test_the_newest_good_backup_is_found_for_a_damaged_database(tmp_path):
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    add_year(db, 2024, projects=3)
    good = backup_before(db, "import", now=T0)
    add_year(db, 2025, projects=2)
    newer = create_backup(db, now=T0.replace(hour=12)).path
    db.close()
    damage(path)
    damage(newer)

    found = find_newest_good_backup(path)

    assert found is not None and found.path == good
    assert [(y.year, y.projects) for y in found.years] == [(2024, 3)]
    damage(good)
    assert find_newest_good_backup(path) is None


def test_the_opened_app_database_gets_its_daily_backup_and_lock(tmp_path):
    db = open_database(tmp_path / "app.sqlite3")
    add_year(db, 2025, projects=1)
    db.close()
    opened = open_for_writing(tmp_path / "app.sqlite3", now=T0)
    try:
        assert opened.daily_backup is not None and opened.backup_warning == ""
        assert opened.recovered_from is None and opened.lock.active
        assert [b.reason for b in list_backups(opened.db)] == ["daily"]
    finally:
        opened.close()
    assert not opened.lock.active


def test_a_backup_opens_read_only_and_stays_unchanged(saved):
    _path, backup = saved
    before = digest(backup)
    db = open_backup(backup)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Project)) == 3
        with pytest.raises(ReadOnlyDatabaseError), db.transaction() as s:
            s.add(FiscalYear(year=2030))
    finally:
        db.close()
    assert digest(backup) == before


def _sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_restoring_a_database_still_open_here_is_a_bug_caught_early(saved):
    path, backup = saved
    db = open_database(path)
    try:
        with pytest.raises(RuntimeError, match="close the database"):
            restore_backup(path, backup)
    finally:
        db.close()
    assert project_count(path) == 5


def test_half_written_backups_from_a_crash_are_cleaned_up(saved):
    path, _backup = saved
    stray = backups_dir_for(path) / "county-20250101-090000-000000-daily.sqlite3.part"
    stray.write_bytes(b"half")
    os.utime(stray, (0, 0))
    db = open_database(path)
    try:
        backup_before(db, "import")
    finally:
        db.close()
    assert not stray.exists()
