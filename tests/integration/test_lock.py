"""One writer at a time: the lock across processes, stale locks, read-only opening."""

from __future__ import annotations

import getpass
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.domain.errors import UserError
from app.services.common.backups import open_for_writing, restore_backup
from app.storage.database import ReadOnlyDatabaseError, open_database
from app.storage.lock import (
    DatabaseLocked,
    acquire_writer_lock,
    lock_path_for,
    read_lock_holder,
)
from app.storage.models import FiscalYear
from tests.integration.test_backups import add_year

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")

HOLD = """
import sys, time
from pathlib import Path
from app.storage.lock import acquire_writer_lock
lock = acquire_writer_lock(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(120)
"""

TRY = """
import json, sys
from pathlib import Path
from app.storage.lock import DatabaseLocked, acquire_writer_lock
try:
    acquire_writer_lock(Path(sys.argv[1])).release()
except DatabaseLocked as exc:
    h = exc.holder
    print(json.dumps({"pid": h.pid, "host": h.host, "user": h.user, "message": exc.message}))
else:
    print("{}")
"""

# Holds the OS lock but records a pid that no longer exists: an inherited handle.
HOLD_FOR_DEAD_PID = """
import fcntl, json, os, socket, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
os.write(fd, json.dumps({"pid": int(sys.argv[2]), "host": socket.gethostname(),
                         "user": "ghost", "started_at": "2025-01-01T08:00:00"}).encode())
print("locked", flush=True)
time.sleep(120)
"""


def python(code: str, *args: object, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def spawn() -> Iterator:
    started: list[subprocess.Popen[str]] = []

    def start(code: str, *args: object) -> subprocess.Popen[str]:
        proc = python(code, *args)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def run(code: str, *args: object) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_a_second_process_is_told_who_holds_the_database(tmp_path):
    db_path = tmp_path / "county.sqlite3"
    with acquire_writer_lock(db_path) as lock:
        other = json.loads(run(TRY, db_path))
        assert other["pid"] == os.getpid() == lock.holder.pid
        assert other["host"] == socket.gethostname()
        assert other["user"] == getpass.getuser()
        assert "只读方式打开" in other["message"] and other["user"] in other["message"]
    assert json.loads(run(TRY, db_path)) == {}


def test_a_second_acquire_in_the_same_process_is_refused(tmp_path):
    with acquire_writer_lock(tmp_path / "a.sqlite3"), pytest.raises(DatabaseLocked):
        acquire_writer_lock(tmp_path / "a.sqlite3")


@posix_only
def test_a_killed_holder_leaves_a_stale_lock_that_is_taken_over(tmp_path, spawn):
    db_path = tmp_path / "county.sqlite3"
    holder = spawn(HOLD, db_path)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

    with pytest.raises(DatabaseLocked) as caught:
        acquire_writer_lock(db_path)
    assert caught.value.holder is not None
    assert caught.value.holder.pid == holder.pid
    assert caught.value.holder.started_at is not None
    assert isinstance(caught.value, UserError)

    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock_path_for(db_path).exists()  # the file stays; the OS lock went with the process

    with acquire_writer_lock(db_path) as lock:
        assert lock.recovered_from is not None and lock.recovered_from.pid == holder.pid
        assert read_lock_holder(db_path) == lock.holder
    assert not lock_path_for(db_path).exists()


@posix_only
def test_a_lock_held_for_a_dead_process_on_this_pc_is_broken(tmp_path, spawn):
    gone = python("pass")
    gone.wait()
    if gone.stdout:
        gone.stdout.close()
    db_path = tmp_path / "county.sqlite3"
    ghost = spawn(HOLD_FOR_DEAD_PID, lock_path_for(db_path), gone.pid)
    assert ghost.stdout is not None and ghost.stdout.readline().strip() == "locked"

    with acquire_writer_lock(db_path) as lock:
        assert lock.recovered_from is not None and lock.recovered_from.user == "ghost"


def test_a_cleanly_released_lock_is_not_reported_as_a_crash(tmp_path):
    acquire_writer_lock(tmp_path / "a.sqlite3").release()
    with acquire_writer_lock(tmp_path / "a.sqlite3") as lock:
        assert lock.recovered_from is None


def test_restore_reuses_the_lock_this_process_holds(tmp_path):
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    add_year(db, 2025, projects=1)  # an empty database gets no daily backup
    db.close()
    opened = open_for_writing(path)
    backup = opened.daily_backup
    assert backup is not None
    opened.db.close()  # the GUI closes the database, keeps the lock, restores, reopens
    restore_backup(path, backup)
    assert opened.lock.active
    opened.lock.release()


@pytest.fixture
def filled(tmp_path) -> Path:
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    add_year(db, 2025, projects=4)
    db.close()
    return path


def test_read_only_open_never_writes_the_file(filled):
    stat_before, bytes_before = filled.stat(), filled.read_bytes()

    db = open_database(filled, read_only=True)
    try:
        assert db.read_only and db.backup_path is None
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(FiscalYear)) == 1
        with pytest.raises(ReadOnlyDatabaseError) as caught, db.transaction() as s:
            s.add(FiscalYear(year=2030))
        assert caught.value.message.startswith("数据库以只读方式打开")
        with pytest.raises(ReadOnlyDatabaseError), db.engine.begin() as conn:
            conn.execute(text("DELETE FROM projects"))
    finally:
        db.close()

    assert filled.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert filled.read_bytes() == bytes_before


def test_read_only_sees_what_the_writer_committed(filled):
    writer = open_database(filled)
    reader = open_database(filled, read_only=True)
    try:
        add_year(writer, 2026, projects=1)  # committed to the -wal, not yet checkpointed
        with reader.session() as s:
            assert s.scalars(select(FiscalYear.year).order_by(FiscalYear.year)).all() == [
                2025,
                2026,
            ]
    finally:
        reader.close()
        writer.close()


def test_read_only_refuses_missing_and_newer_files(tmp_path, filled):
    with pytest.raises(UserError, match="找不到"):
        open_database(tmp_path / "none.sqlite3", read_only=True)
    db = open_database(filled)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    db.close()
    with pytest.raises(UserError, match="0099_future"):
        open_database(filled, read_only=True)


def test_a_folder_without_write_permission_offers_read_only(tmp_path, monkeypatch):
    import app.storage.lock as lock_module

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock_module.os, "open", denied)
    with pytest.raises(DatabaseLocked, match="只读方式打开") as caught:
        acquire_writer_lock(tmp_path / "county.sqlite3")
    assert caught.value.holder is None and "锁文件" in caught.value.message
