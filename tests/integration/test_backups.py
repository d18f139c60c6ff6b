"""Automatic and manual backups: once a day, before risky work, rotation, listing, CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from app.cli import build_parser, run_command
from app.domain.errors import UserError
from app.services.common import backups
from app.services.common.backups import (
    RotationPolicy,
    backup_before,
    backup_policy,
    backup_to_file,
    create_backup,
    ensure_daily_backup,
    list_backups,
    set_backup_policy,
)
from app.storage.database import Database, backups_dir_for, open_database
from app.storage.models import AuditEntry, Department, FiscalYear, Goal, Project


def add_year(db: Database, year: int, projects: int, goals: int = 0) -> None:
    """A year with `projects` projects, the first `goals` of which have a goal."""
    with db.transaction() as s:
        fy = FiscalYear(year=year)
        dept = s.scalar(select(Department)) or Department(code="219001", name="县教育局")
        s.add_all([fy, dept])
        s.flush()
        rows = [
            {
                "year_id": fy.id,
                "department_id": dept.id,
                "code": f"{year}{i:05d}",
                "name": f"项目{i}",
                "kind": "延续",
                "total_amount": Decimal("100.00"),
            }
            for i in range(projects)
        ]
        if rows:
            s.execute(insert(Project), rows)
        ids = s.scalars(select(Project.id).where(Project.year_id == fy.id)).all()
        for project_id in ids[:goals]:
            s.add(
                Goal(
                    scope="project",
                    year_id=fy.id,
                    department_id=dept.id,
                    project_id=project_id,
                    status="草稿",
                )
            )


def names(paths: list[Path]) -> set[str]:
    return {p.name for p in paths}


def test_the_daily_backup_is_made_once_a_day(db):
    add_year(db, 2025, projects=1)
    morning = datetime(2025, 3, 3, 8, 30)
    first = ensure_daily_backup(db, now=morning)
    assert first is not None and first.parent == backups_dir_for(db.target)
    assert ensure_daily_backup(db, now=morning.replace(hour=17)) is None
    second = ensure_daily_backup(db, now=morning + timedelta(days=1))
    assert second is not None and second != first
    assert [b.reason for b in list_backups(db)] == ["daily", "daily"]


def test_a_backup_before_an_import_counts_as_the_days_backup(db):
    day = datetime(2025, 3, 3, 9, 0)
    path = backup_before(db, "import", now=day)
    assert path.name.endswith("-before-import.sqlite3")
    assert ensure_daily_backup(db, now=day.replace(hour=10)) is None
    assert list_backups(db)[0].reason_label == "导入前"


def test_a_manual_backup_does_not_count_as_the_days_backup(db):
    add_year(db, 2025, projects=1)
    day = datetime(2025, 3, 3, 9, 0)
    create_backup(db, now=day)
    assert ensure_daily_backup(db, now=day.replace(hour=10)) is not None


def test_backup_reasons_must_be_slugs(db):
    with pytest.raises(ValueError):
        backup_before(db, "导入")


def test_rotation_keeps_recent_days_weeks_and_months_and_every_manual_backup(db):
    add_year(db, 2025, projects=1)
    set_backup_policy(db, RotationPolicy(keep_last=2, daily=7, weekly=4, monthly=3))
    create_backup(db, now=datetime(2025, 1, 5, 12, 0))
    backup_before(db, "import", now=datetime(2025, 1, 10, 10, 0))
    day = date(2025, 1, 1)
    while day <= date(2025, 4, 30):  # 2025-04-30 is the Wednesday of ISO week 18
        ensure_daily_backup(db, now=datetime.combine(day, datetime.min.time()).replace(hour=9))
        day += timedelta(days=1)

    kept = {(b.created_at.date(), b.reason) for b in list_backups(db)}
    daily = {date(2025, 4, d) for d in range(24, 31)}  # the last 7 days (and the last 2)
    weekly = {date(2025, 4, 27), date(2025, 4, 20), date(2025, 4, 13)}  # weeks 17, 16, 15
    monthly = {date(2025, 3, 31), date(2025, 2, 28)}  # April's newest is already kept
    expected = {(d, "daily") for d in daily | weekly | monthly} | {(date(2025, 1, 5), "manual")}
    assert kept == expected


def test_rotation_never_deletes_the_newest_backup(db):
    set_backup_policy(db, RotationPolicy(keep_last=0, daily=0, weekly=0, monthly=0))
    for hour in (8, 9, 10):
        backup_before(db, "bulk-delete", now=datetime(2025, 6, 1, hour))
    assert [b.created_at.hour for b in list_backups(db)] == [10]


def test_the_policy_has_defaults_and_is_saved_in_settings_with_an_audit_entry(db):
    assert backup_policy(db) == RotationPolicy(keep_last=5, daily=7, weekly=4, monthly=12)
    set_backup_policy(db, RotationPolicy(keep_last=3, daily=10, weekly=5, monthly=24))
    assert backup_policy(db) == RotationPolicy(keep_last=3, daily=10, weekly=5, monthly=24)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry)).one()
    assert entry.object_type == "settings" and '"daily": 10' in entry.after_json


def test_a_nonsense_setting_falls_back_to_its_default(db):
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('backup.keep_daily', 'abc')"))
    assert backup_policy(db).daily == 7


def test_list_backups_reads_counts_from_each_file(db):
    add_year(db, 2024, projects=3, goals=2)
    backup_before(db, "import", now=datetime(2025, 1, 1, 9))
    add_year(db, 2025, projects=5, goals=1)
    create_backup(db, now=datetime(2025, 1, 2, 9))

    newest, oldest = list_backups(db)
    assert (newest.reason, newest.automatic, newest.reason_label) == ("manual", False, "手动备份")
    assert [(y.year, y.projects, y.goals) for y in newest.years] == [(2024, 3, 2), (2025, 5, 1)]
    assert [(y.year, y.projects, y.goals) for y in oldest.years] == [(2024, 3, 2)]
    assert oldest.revision == newest.revision != ""
    assert newest.size_bytes == newest.path.stat().st_size > 0
    assert newest.total_rows is not None and newest.total_rows > oldest.total_rows
    assert newest.problem == ""


def test_a_damaged_backup_is_listed_with_its_problem(db):
    path = create_backup(db, now=datetime(2025, 1, 2, 9)).path
    path.write_bytes(b"not a database at all")
    (info,) = list_backups(db)
    assert info.problem == "不是数据库文件" and info.years == ()


def test_backups_of_another_database_in_the_folder_are_not_listed(db, tmp_path):
    other = backups_dir_for(db.target) / "other-20250101-090000-000000-daily.sqlite3"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"")
    assert list_backups(db) == []


def test_backups_are_self_contained_files(db):
    path = backup_before(db, "import", now=datetime(2025, 1, 1))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert list(path.parent.glob("*.part")) == []


def test_backup_to_file_writes_a_complete_copy_atomically(db, tmp_path):
    add_year(db, 2025, projects=4)
    target = backup_to_file(db, tmp_path / "U盘" / "备份 2025.sqlite3")
    assert target.exists() and not list(target.parent.glob("*.part"))
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == 4
    conn.close()


@pytest.mark.sqlite_only(reason="a server database has no file to overwrite")
def test_backup_to_file_refuses_the_database_file_itself(db):
    with pytest.raises(UserError, match="同一个文件"):
        backup_to_file(db, db.path)


def test_a_read_only_database_makes_no_daily_backup(db):
    db.read_only = True  # as open_database(read_only=True) sets it
    assert ensure_daily_backup(db, now=datetime(2025, 1, 1)) is None
    with pytest.raises(UserError, match="只读"):
        backup_before(db, "import")


def test_a_failing_backup_is_a_user_error_naming_the_folder(db, monkeypatch):
    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    add_year(db, 2025, projects=1)
    monkeypatch.setattr(backups, "timestamped_backup", full_disk)
    monkeypatch.setattr(backups, "snapshot_server", full_disk)
    with pytest.raises(UserError, match="磁盘空间"):
        ensure_daily_backup(db, now=datetime(2025, 1, 1))


def test_the_cli_creates_lists_and_restores(database_target, tmp_path, capsys):
    path = database_target
    open_database(path).close()
    assert main(["--db", str(path), "backup", "create", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["reason"] == "manual"

    assert main(["--db", str(path), "backup", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["path"] for b in listed] == [created["path"]]

    assert main(["--db", str(path), "backup", "restore", created["path"]]) == 0
    assert "已从" in capsys.readouterr().out

    assert main(["--db", str(path), "backup", "restore", str(tmp_path / "none.sqlite3")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def main(argv: list[str]) -> int:
    """The CLI without app.main's logging set-up (which writes to the user's log folder)."""
    return run_command(build_parser().parse_args(argv))
