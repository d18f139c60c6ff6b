"""Opening, migrating, refusing and backing up database files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from app.domain.errors import UserError
from app.paths import migrations_dir
from app.storage import database, migrate
from app.storage.database import backups_dir_for, open_database
from app.storage.models import Base, Department, FiscalYear, Project, Section


def test_the_migrations_build_exactly_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.sqlite_only(reason="SQLite pragmas of a database file")
def test_connections_use_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_money_is_stored_as_integer_fen(db):
    with db.transaction() as s:
        fy = FiscalYear(year=2025)
        section = Section(code="01", name="教科文股")
        dept = Department(code="219001", name="县教育局", section=section)
        s.add_all([fy, section, dept])
        s.flush()
        s.add(
            Project(
                year_id=fy.id,
                department_id=dept.id,
                code="219001001",
                name="营养改善计划",
                kind="延续",
                total_amount=Decimal("1234567.89"),
            )
        )
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT total_amount FROM projects")).scalar()
    assert raw == 123456789
    with db.session() as s:
        assert s.scalar(select(Project.total_amount)) == Decimal("1234567.89")


def test_a_newer_database_is_refused_with_its_version(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(UserError, match="0099_future") as caught:
        open_database(path)
    assert "更新版本" in caught.value.message


def test_a_non_database_file_is_refused(tmp_path):
    path = tmp_path / "goals.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    with pytest.raises(UserError, match="不是本程序的数据库文件"):
        open_database(path)


def test_a_truncated_database_is_reported_as_damaged(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    db = open_database(path)
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100)
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path)


def test_a_read_only_open_checks_a_file_again_once_it_changed(tmp_path, monkeypatch):
    path = tmp_path / "county.sqlite3"
    open_database(path).close()
    open_database(path, read_only=True).close()  # a good check, remembered

    def no_check(_path):
        raise AssertionError("the unchanged file was checked again")

    with monkeypatch.context() as patched:
        patched.setattr(database, "connect_read_only", no_check)
        open_database(path, read_only=True).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100)
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path, read_only=True)


def test_a_file_closed_cleanly_is_not_read_whole_again_until_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    with db.transaction() as session:
        session.add(FiscalYear(year=2025))
    db.close()  # checked as it closes: remembered as good

    def no_check(_path):
        raise AssertionError("the file closed cleanly was checked again")

    with monkeypatch.context() as patched:
        patched.setattr(database, "connect_read_only", no_check)
        reopened = open_database(path)
        open_database(path, read_only=True).close()
    reopened.close()  # checked as it closes, when nobody waits on it
    assert not list(tmp_path.glob("county.sqlite3-*"))  # the check leaves no log beside it
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100)  # changed by someone else
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path)


def _county_with_rows(path: Path) -> None:
    db = open_database(path)
    with db.transaction() as session:
        session.add_all(Section(code=f"{i:04d}", name=f"第{i}股" * 20) for i in range(2000))
    db.close()


def _damage_in_place(path: Path, first_byte: int) -> None:
    """Overwrite bytes of every page from `first_byte` on, leaving the file's size and
    modified time as they were (as a failing disk would)."""
    before = path.stat()
    with path.open("r+b") as fh:
        for offset in range(first_byte, before.st_size, 4096):
            fh.seek(offset)
            fh.write(b"\xff" * 64)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_file_found_damaged_while_open_is_checked_at_the_next_open(tmp_path):
    path = tmp_path / "county.sqlite3"
    _county_with_rows(path)
    db = open_database(path, read_only=True)  # trusted: unchanged since its clean close
    _damage_in_place(path, first_byte=path.stat().st_size // 2)  # the sections' rows only
    db.engine.dispose()  # no page cached from before the damage
    with pytest.raises(Exception, match="malformed"), db.session() as session:
        session.execute(select(Section.name)).all()
    assert db.damage_seen
    db.close()
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path, read_only=True)


def test_a_file_swapped_while_open_is_not_trusted_at_the_next_open(tmp_path):
    path, damaged = tmp_path / "county.sqlite3", tmp_path / "damaged.sqlite3"
    _county_with_rows(path)
    shutil.copy(path, damaged)
    _damage_in_place(damaged, first_byte=damaged.stat().st_size // 2)  # rows, not schema
    db = open_database(path)
    os.replace(damaged, path)  # e.g. a sync program puts another copy in its place
    db.close()  # checks the file now there, which is not the one the app wrote
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path)


def test_a_trusted_file_damaged_since_is_reported_as_damaged_when_opened(tmp_path):
    path = tmp_path / "county.sqlite3"
    _county_with_rows(path)  # closed cleanly: trusted while unchanged
    _damage_in_place(path, first_byte=200)  # the schema page too, past the file header
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path)
    with pytest.raises(UserError, match=r"损坏|完整性"):
        open_database(path, read_only=True)


def test_another_programs_sqlite_file_is_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(UserError, match="其他程序"):
        open_database(path)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"contacts"}


def test_an_older_database_is_backed_up_then_upgraded(tmp_path, monkeypatch):
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()  # the new revision comes after whatever is the head today
    path = tmp_path / "old.sqlite3"
    head = migrate.head_revision()  # the revision the "older" database is at
    db = open_database(path)
    with db.transaction() as s:
        s.add(FiscalYear(year=2024))
    db.close()
    head = migrate.head_revision()  # the app's newest revision: the new one follows it

    (scripts / "versions" / "9999_test.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999_test'\ndown_revision = '{head}'\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('extra', sa.Column('id', sa.Integer, primary_key=True))\n"
        "def downgrade():\n    op.drop_table('extra')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "migrations_dir", lambda: scripts)

    upgraded = open_database(path)
    upgraded.close()
    assert upgraded.upgraded_from == head
    assert upgraded.backup_path is not None
    assert upgraded.backup_path.parent == backups_dir_for(upgraded.path)
    with sqlite3.connect(upgraded.backup_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
        assert conn.execute("SELECT year FROM fiscal_years").fetchone()[0] == 2024
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_test"


def test_a_new_path_gets_an_empty_migrated_database(tmp_path: Path):
    db = open_database(tmp_path / "sub" / "new.sqlite3")
    with db.session() as s:
        assert s.scalars(select(FiscalYear)).all() == []
    assert db.backup_path is None
    db.close()
