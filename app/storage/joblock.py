"""Whole-year jobs run on one seat at a time, and a second seat is told who runs it.

Drawing the sample, rolling a year forward, closing a monitoring round, the imports and a
restore each rewrite much of a year. `held(db, job, year, operator)` wraps such a job:

- On PostgreSQL a session-level `pg_try_advisory_lock` on a dedicated connection is the
  lock (keyed by job and year); the server drops it when the connection dies, so a crashed
  seat never blocks the others. The holder is written to `job_locks` only to be named.
- On SQLite only the process holding the file's writer lock (storage/lock.py) writes at
  all, so the lock only keeps this process from running a job twice at once (a second
  window, a background task). It is kept in memory, dies with the process, and writes
  nothing to the file: a refused import leaves it byte for byte, and no backup carries a
  lock.

A job already running is refused with `JobBusyError`: "…正在由 张三 于 10:32 开始执行…".
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, text

from app.domain.errors import UserError
from app.storage.database import Database
from app.storage.models import JobLock

SAMPLE = "draw_sample"
ROLLOVER = "rollover"
CLOSE_ROUND = "close_round"
IMPORT = "import"
RESTORE = "restore"
LABELS = {
    SAMPLE: "抽取复核样本",
    ROLLOVER: "结转到下一年度",
    CLOSE_ROUND: "关闭监控轮次",
    IMPORT: "导入数据",
    RESTORE: "恢复备份",
}
ANY_YEAR = 0  # a job not tied to one year (imports, restore)
_HOST = socket.gethostname()[:100]
_running: dict[tuple[str, str, int], JobLock] = {}  # SQLite: (database, job, year) → holder
_guard = threading.Lock()
_own_backends: set[int] = set()  # PostgreSQL: the server processes of the locks held here


def own_connections() -> frozenset[int]:
    """The server processes holding this process's job locks: no other seat's."""
    return frozenset(_own_backends)


class JobBusyError(UserError):
    def __init__(self, job: str, year: int, holder: JobLock | None) -> None:
        self.job, self.year = job, year
        self.operator = holder.operator if holder else ""
        what = f"{year}年度的{LABELS[job]}" if year != ANY_YEAR else LABELS[job]
        if holder is None:
            who = "其他操作人员"
        else:
            day = (
                "" if holder.since.date() == datetime.now().date() else f"{holder.since:%m月%d日} "
            )
            who = (
                f"{holder.operator or '其他操作人员'}（{holder.host}）于 {day}{holder.since:%H:%M}"
            )
        super().__init__(f"{what}正在由 {who} 开始执行，请等其完成后再试。")


@contextmanager
def held(db: Database, job: str, year: int, operator: str) -> Iterator[None]:
    """Run the body as the one holder of (job, year), or refuse with JobBusyError."""
    if db.engine.dialect.name == "postgresql":
        with _advisory(db, job, year, operator):
            yield
    else:
        with _in_process(db, job, year, operator):
            yield


def key_of(job: str, year: int) -> int:
    """A signed 64-bit advisory lock key, the same on every seat."""
    digest = hashlib.sha256(f"bpm:{job}:{year}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _advisory(db: Database, job: str, year: int, operator: str) -> Iterator[None]:
    key = key_of(job, year)
    with db.engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()  # the lock is the session's: it outlives this transaction
        if not got:
            raise JobBusyError(job, year, _holder(conn, job, year))
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _own_backends.add(backend)
        try:
            _write_holder(conn, job, year, operator)
            yield
        finally:
            _own_backends.discard(backend)
            conn.rollback()  # a failed statement of the job must not block the clean-up
            conn.execute(delete(JobLock).where(JobLock.job == job, JobLock.year == year))
            conn.commit()
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


@contextmanager
def _in_process(db: Database, job: str, year: int, operator: str) -> Iterator[None]:
    mine = (str(db.engine.url), job, year)
    with _guard:  # jobs also run off the GUI thread
        holder = _running.get(mine)
        if holder is not None:
            raise JobBusyError(job, year, holder)
        _running[mine] = JobLock(
            job=job, year=year, operator=operator, host=_HOST, pid=os.getpid(),
            since=datetime.now().replace(microsecond=0),
        )  # fmt: skip
    try:
        yield
    finally:
        with _guard:
            del _running[mine]


def _holder(conn: Connection, job: str, year: int) -> JobLock | None:
    row = conn.execute(select(JobLock).where(JobLock.job == job, JobLock.year == year)).first()
    return JobLock(**row._mapping) if row else None


def _write_holder(conn: Connection, job: str, year: int, operator: str) -> None:
    conn.execute(delete(JobLock).where(JobLock.job == job, JobLock.year == year))
    conn.execute(
        insert(JobLock).values(
            job=job, year=year, operator=operator, host=_HOST,
            pid=os.getpid(), since=datetime.now().replace(microsecond=0),
        )
    )  # fmt: skip
    conn.commit()
