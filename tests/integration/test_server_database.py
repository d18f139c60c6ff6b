"""A database on a PostgreSQL server: URL, names without passwords, schema under a lock,
ids from sequences, snapshot backups that restore onto either backend, read-only sessions.

The tests marked `server` run when BPM_TEST_DATABASE_URL names a server (as `.ci/run` does);
the others run on both backends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.cli import build_parser, run_command
from app.domain.errors import UserError
from app.services.common.backups import (
    create_backup,
    list_backups,
    open_backup,
    restore_backup,
)
from app.services.common.rollover import roll_forward
from app.services.demo.builder import build_demo
from app.storage import migrate
from app.storage.database import (
    Database,
    ReadOnlyDatabaseError,
    database_target,
    open_database,
    server_label,
    server_url,
)
from app.storage.models import FiscalYear, Project
from tests import factories

ROOT = Path(__file__).resolve().parents[2]  # the seats' processes import this checkout's app
server = pytest.mark.skipif(
    not os.environ.get("BPM_TEST_DATABASE_URL"), reason="needs a PostgreSQL server"
)


def _project_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Project.id))) or 0


def test_a_url_names_a_server_and_anything_else_a_file():
    assert database_target("县.sqlite3") == Path("县.sqlite3")
    url = "postgresql://jixiao:秘密@192.168.1.10/jixiao"
    assert database_target(url) == url
    parsed = server_url(url)
    assert parsed.drivername == "postgresql+psycopg"  # the driver we ship
    assert server_label(parsed) == "jixiao@192.168.1.10/jixiao"
    assert server_label(server_url("postgresql+psycopg://u@h:6543/d")) == "u@h:6543/d"


def test_a_malformed_url_is_refused_without_echoing_it():
    with pytest.raises(UserError, match="格式不正确") as caught:
        open_database("postgresql+psycopg://jixiao:秘密@[::1/jixiao")
    assert "秘密" not in caught.value.message
    with pytest.raises(UserError, match="不受支持"):
        open_database("postgresql+asyncpg://jixiao:秘密@host/jixiao")


def test_ids_come_from_the_database_so_later_inserts_never_collide(db, rules):
    """The demo hands out its ids before inserting; a rollover and a plain insert after it
    must not meet them (on PostgreSQL: UniqueViolation pk_fiscal_years before)."""
    build_demo(db, year=2025, scale=0.05)
    roll_forward(db, 2025, rules)
    with db.transaction() as session:
        session.add(FiscalYear(year=2030))
    with db.session() as session:
        years = session.scalars(select(FiscalYear.year).order_by(FiscalYear.year)).all()
    assert years == [2024, 2025, 2026, 2030]


@server
def test_a_server_database_is_named_without_its_password(db):
    assert (db.backend, db.path) == ("postgresql", None)
    url = server_url(str(db.target))
    assert db.label == server_label(url) and "/" in db.label
    if url.password:
        assert url.password not in db.url and url.password not in db.label


@server
def test_a_server_that_cannot_be_reached_is_a_user_error():
    with pytest.raises(UserError, match="无法连接数据库服务器") as caught:
        open_database("postgresql+psycopg://nobody:秘密@127.0.0.1:9/jixiao")
    assert "nobody@127.0.0.1:9/jixiao" in caught.value.message
    assert "秘密" not in caught.value.message


@server
def test_a_read_only_session_refuses_every_write(db):
    with db.transaction() as session:
        factories.small_county(session)
    reader = open_database(db.target, read_only=True)
    try:
        assert reader.read_only and _project_count(reader) == 12
        with pytest.raises(ReadOnlyDatabaseError), reader.transaction() as session:
            session.add(FiscalYear(year=2031))
    finally:
        reader.close()


@server
def test_two_seats_starting_together_one_migrates_the_other_waits(test_server):
    name = test_server.new_database(options="TEMPLATE template0")
    url = test_server.database_url(name)
    code = "import sys; from app.storage.database import open_database as o; o(sys.argv[1]).close()"
    seats = [
        subprocess.Popen(
            [sys.executable, "-c", code, url], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        errors = [seat.communicate(timeout=120)[1] for seat in seats]
        assert [seat.returncode for seat in seats] == [0, 0], errors
        db = open_database(url, read_only=True)
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        db.close()
    finally:
        test_server.drop(name)


@server
def test_every_text_column_sorts_in_code_point_order(db):
    with db.engine.connect() as conn:
        other = conn.execute(
            text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name <> 'alembic_version' "
                "AND data_type IN ('text', 'character varying') "
                "AND coalesce(collation_name, '') <> 'C'"
            )
        ).scalars()
        assert list(other) == []


@server
def test_a_snapshot_opens_read_only_and_restores_onto_either_backend(db, tmp_path):
    with db.transaction() as session:
        factories.small_county(session)
    backup = create_backup(db).path
    assert backup.read_bytes().startswith(b"SQLite format 3\x00")
    (listed,) = list_backups(db)
    assert [(y.year, y.projects) for y in listed.years] == [(2025, 12)]

    looked_at = open_backup(backup)
    assert looked_at.read_only and _project_count(looked_at) == 12
    looked_at.close()

    file_copy = tmp_path / "县（单机）.sqlite3"
    restore_backup(file_copy, backup)
    on_file = open_database(file_copy)
    assert _project_count(on_file) == 12
    on_file.close()

    with db.transaction() as session:
        session.add(FiscalYear(year=2026))
    target = db.target
    db.close()
    result = restore_backup(target, backup)
    assert result.safety_backup is not None and result.safety_backup.exists()
    again = open_database(target)
    try:
        with again.session() as session:
            assert session.scalars(select(FiscalYear.year)).all() == [2025]
        with again.transaction() as session:  # sequences moved past the restored ids
            session.add(FiscalYear(year=2027))
    finally:
        again.close()


_SEAT = """
import sys
from sqlalchemy import text
from app.storage.database import name_seat, open_database
name_seat("李会计")
db = open_database(sys.argv[1])
with db.engine.connect() as conn:
    conn.execute(text("SELECT 1"))
    print("ready", flush=True)
    sys.stdin.read()
"""


@server
def test_a_restore_is_refused_while_another_seat_is_connected(db):
    backup = create_backup(db).path
    target = db.target
    db.close()
    seat = subprocess.Popen(
        [sys.executable, "-c", _SEAT, str(target)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert seat.stdout is not None and seat.stdout.readline().strip() == "ready"
        with pytest.raises(UserError, match="预算绩效管理:李会计"):
            restore_backup(target, backup)
    finally:
        seat.communicate("", timeout=60)
    restore_backup(target, backup)  # once the seat has left


@server
def test_upgrading_a_server_database_backs_it_up_first(test_server):
    name = test_server.new_database(options="TEMPLATE template0")
    url = test_server.database_url(name)
    older = "rules12_year_rules"
    try:
        engine = create_engine(server_url(url))
        with engine.connect() as conn:
            migrate.upgrade(conn, older)
            conn.commit()
        engine.dispose()
        db = open_database(url)
        assert db.upgraded_from == older and db.backup_path is not None
        (backup,) = list_backups(db)
        assert backup.path == db.backup_path and backup.revision == older
        db.close()
    finally:
        test_server.drop(name)


@server
def test_the_command_line_takes_a_url_and_never_prints_its_password(db, capsys):
    url = server_url(str(db.target))
    if not url.password:  # a trust-authenticated test server ignores a password it is given
        url = url.set(password="秘密")
    password = url.password
    db.close()
    argv = ["--db", url.render_as_string(hide_password=False), "info"]
    assert run_command(build_parser().parse_args(argv)) == 0
    out = capsys.readouterr().out
    assert str(url.database) in out and "***" in out and str(password) not in out


@server
def test_a_server_database_from_a_newer_app_is_refused(db):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    target = db.target
    db.close()
    for read_only in (False, True):
        with pytest.raises(UserError, match=r"更新版本.*0099_future"):
            open_database(target, read_only=read_only)
