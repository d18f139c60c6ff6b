"""Backup files: consistent copies through the online backup API, naming, checks, replacing.

A server database is backed up into the same kind of file: a SQLite database of the same
schema, written from one REPEATABLE READ snapshot, so every backup opens read-only in the
app and restores onto either backend (`copy_into_server`).

Everything that knows these files are SQLite lives here (and in database.py), so the
services above speak of "backups" and "database files" only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from glob import escape as glob_escape
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import quote

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    bindparam,
    create_engine,
    select,
    text,
)

from app.domain.errors import UserError
from app.storage import migrate

SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_SUFFIX = ".sqlite3"
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.sqlite3$")


def sqlite_uri(path: Path, **params: str) -> str:
    """A `file:` URI SQLite accepts on POSIX and Windows, whatever characters the path has."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):  # Windows drive path: file:///C:/...
        posix = "/" + posix
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file://{quote(posix, safe='/:')}" + (f"?{query}" if query else "")


def connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot write the database file.

    `immutable` also skips locking and the WAL: only for files nobody else writes (backups).
    """
    params = {"mode": "ro"} | ({"immutable": "1"} if immutable else {})
    return sqlite3.connect(sqlite_uri(path, **params), uri=True)


def backup_database(source: Path, target: Path) -> Path:
    """Copy a (possibly live, WAL-mode) database into a new file, atomically.

    The copy is switched to a rollback journal so it is one self-contained file (safe to carry
    on a USB stick, readable without -wal/-shm companions).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        src = connect_read_only(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                # No syncs while writing the temp file: it is fsynced once before the rename.
                dst.execute("PRAGMA synchronous=OFF")
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync_file(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def timestamped_backup(
    source: Path, folder: Path, reason: str, now: datetime | None = None
) -> Path:
    """A backup named after the database, the moment and why it was made."""
    return backup_database(source, _free_name(folder, source.stem, reason, now))


def _free_name(folder: Path, stem: str, reason: str, now: datetime | None) -> Path:
    when = now or datetime.now()
    target = folder / backup_name(stem, when, reason)
    while target.exists():  # two backups in the same microsecond (a fake clock in tests)
        when += timedelta(microseconds=1)
        target = folder / backup_name(stem, when, reason)
    return target


def snapshot_server(
    engine: Engine, folder: Path, stem: str, reason: str, now: datetime | None = None
) -> Path:
    """A server database's backup in `folder`, named like a file database's."""
    return write_snapshot(engine, _free_name(folder, stem, reason, now))


def write_snapshot(engine: Engine, target: Path) -> Path:
    """Copy a server database into a new SQLite file of the same schema, atomically.

    One REPEATABLE READ, read-only transaction: the copy is the database as of one moment,
    however many seats write meanwhile.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        with engine.connect() as conn:
            src = conn.execution_options(isolation_level="REPEATABLE READ")
            src.execute(text("SET TRANSACTION READ ONLY"))
            revision = migrate.current_revision(src)
            if revision is None:
                raise UserError("服务器上的数据库还没有建立结构，无法备份。")
            empty, tables = _empty_schema(revision)
            partial.write_bytes(empty)
            sqlite = create_engine(f"sqlite:///{partial}")
            try:
                with sqlite.begin() as dst:
                    dst.exec_driver_sql("PRAGMA synchronous=OFF")
                    copy_rows(src, dst, tables)
            finally:
                sqlite.dispose()
            src.rollback()
        _fsync_file(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


@cache
def _empty_schema(revision: str) -> tuple[bytes, list[Table]]:
    """A SQLite file at `revision` with every table empty, and its tables (built once per
    process: reflecting 30-odd tables costs more than copying a small county)."""
    with TemporaryDirectory() as folder:
        path = Path(folder) / "schema.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                migrate.upgrade(conn, revision)
                tables = _tables(conn)
                for table in tables:
                    conn.execute(table.delete())  # rows a migration seeded come from the server
                conn.commit()
        finally:
            engine.dispose()
        return path.read_bytes(), tables


_NOT_COPIED = frozenset({"alembic_version", "job_locks"})


def _tables(conn: Connection) -> list[Table]:
    """The data tables in foreign-key order (parents first). Left out: alembic_version, and
    job_locks (who runs a job on the server now: a backup or a restore must not carry it)."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name not in _NOT_COPIED]


def copy_rows(src: Connection, dst: Connection, tables: list[Table]) -> int:
    """Copy every row of `tables` (described by the target's schema) from src to dst.

    A column naming its own table (a unit's parent unit) is filled in afterwards, so rows
    need not come parent-first.
    """
    copied = 0
    for table in tables:
        own = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]
        later: list[dict[str, object]] = []
        for batch in _batches(src, table):
            if own:
                later += [{"pk": r["id"], **{c: r[c] for c in own}} for r in batch]
                batch = [{**r, **dict.fromkeys(own)} for r in batch]
            dst.execute(table.insert(), batch)
            copied += len(batch)
        if later:
            update = (
                table.update()
                .where(table.c.id == bindparam("pk"))
                .values({c: bindparam(c) for c in own})
            )
            dst.execute(update, later)
    return copied


def _batches(src: Connection, table: Table, size: int = 5000) -> Iterator[list[dict[str, object]]]:
    """The rows in id order, `size` at a time (keyset pages: memory stays bounded without
    a server-side cursor per table, which costs more than a small table's rows)."""
    if "id" not in table.c:  # settings and the like: a few rows
        rows = src.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
        if rows:
            yield [dict(row) for row in rows]
        return
    last = None
    while True:
        page = select(table).order_by(table.c.id).limit(size)
        if last is not None:
            page = page.where(table.c.id > last)
        batch = [dict(row) for row in src.execute(page).mappings()]
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1]["id"]


def copy_into_server(source: Path, engine: Engine) -> int:
    """Replace every row of the server database with the rows of a backup file at the same
    schema revision, in one transaction, then move each id sequence past its largest id."""
    reader = create_engine(
        f"sqlite:///{source}",
        creator=lambda: sqlite3.connect(sqlite_uri(source, mode="ro", immutable="1"), uri=True),
    )
    try:
        with reader.connect() as src, engine.begin() as dst:
            tables = _tables(src)
            names = ", ".join(f'"{t.name}"' for t in tables)
            dst.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            copied = copy_rows(src, dst, tables)
            for table in tables:
                if "id" in table.c:
                    dst.execute(
                        text(
                            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                            f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false) '
                            "WHERE pg_get_serial_sequence(:t, 'id') IS NOT NULL"
                        ),
                        {"t": table.name},
                    )
    finally:
        reader.dispose()
    return copied


def backup_name(stem: str, when: datetime, reason: str) -> str:
    return f"{stem}-{when.strftime(_STAMP_FORMAT)}-{reason}{BACKUP_SUFFIX}"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created_at: datetime
    reason: str
    size_bytes: int


def scan_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The backups of the database named `stem` in `folder`, newest first."""
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["stem"] != stem or not path.is_file():
            continue
        created = datetime.strptime(match["stamp"], _STAMP_FORMAT)
        found.append(BackupFile(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def stale_partials(folder: Path, stem: str, older_than: timedelta) -> list[Path]:
    """Half-written backups left by a crash (a running backup's .part is recent)."""
    if not folder.is_dir():
        return []
    cutoff = datetime.now().timestamp() - older_than.total_seconds()
    return [
        p
        for p in folder.glob(f"{glob_escape(stem)}-*{BACKUP_SUFFIX}.part")
        if p.is_file() and p.stat().st_mtime < cutoff
    ]


@dataclass(frozen=True)
class YearSummary:
    year: int
    projects: int
    goals: int


@dataclass(frozen=True)
class FileSummary:
    revision: str = ""
    years: tuple[YearSummary, ...] = ()
    total_rows: int | None = None
    problem: str = ""  # empty when the file could be read


_YEAR_COUNTS = """
SELECT fy.year,
  (SELECT count(*) FROM projects p WHERE p.year_id = fy.id AND p.deleted_at IS NULL),
  (SELECT count(*) FROM goals g WHERE g.year_id = fy.id AND g.deleted_at IS NULL)
FROM fiscal_years fy ORDER BY fy.year
"""


def summarize_backup(path: Path) -> FileSummary:
    """Schema version and counts of a backup file, read without writing anything."""
    if not _has_sqlite_header(path):
        return FileSummary(problem="不是数据库文件")
    try:
        conn = connect_read_only(path, immutable=True)
        try:
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
                )
            ]
            revision = _revision(conn) or ""
            total = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
            years = tuple(YearSummary(*row) for row in conn.execute(_YEAR_COUNTS))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return FileSummary(problem=f"无法读取（{exc}）")
    return FileSummary(revision, years, total)


def verify_database_file(path: Path, *, full: bool = True) -> str:
    """Refuse a file that is damaged, not ours, or from a newer app; return its revision."""
    name = path.name
    if not path.is_file():
        raise UserError(f"找不到文件“{path}”。")
    if not _has_sqlite_header(path):
        raise UserError(f"“{name}”不是本程序的数据库文件（或已损坏）。")
    try:
        conn = connect_read_only(path, immutable=True)
        try:
            check = "integrity_check" if full else "quick_check"
            result = conn.execute(f"PRAGMA {check}").fetchone()[0]
            revision = _revision(conn) if result == "ok" else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(f"“{name}”已损坏，无法读取（{exc}）。") from exc
    if result != "ok":
        raise UserError(f"“{name}”完整性检查未通过（{result}），文件已损坏。")
    if not revision:
        raise UserError(f"“{name}”是其他程序的 SQLite 数据库，不是本程序的数据库文件。")
    if revision not in migrate.known_revisions():
        raise UserError(
            f"“{name}”来自更新版本的程序（结构版本 {revision}），"
            f"本程序只支持到结构版本 {migrate.head_revision()}。请升级程序后再使用。"
        )
    return revision


def checkpoint(path: Path) -> None:
    """Fold the -wal file into the database so the main file alone holds every commit."""
    conn = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()  # the last connection closing also removes -wal and -shm


def preserve_unreadable(path: Path, folder: Path, now: datetime | None = None) -> Path:
    """Keep a damaged database (and its -wal) as raw bytes before it is replaced.

    A plain file copy is right here: the file is closed and the backup API cannot read it.
    """
    target = folder / backup_name(path.stem, now or datetime.now(), "damaged")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    wal = _companion(path, "-wal")
    if wal.exists():
        shutil.copyfile(wal, _companion(target, "-wal"))
    return target


def replace_database_file(db_path: Path, source: Path) -> None:
    """Make `db_path` a verified copy of `source`. The database must be closed by everyone.

    Order matters: checkpoint first (so deleting -wal loses nothing), build and check a temp
    copy beside the target, drop -wal/-shm (stale frames would be replayed onto the new
    file), then os.replace, which is atomic on the same volume.
    """
    with contextlib.suppress(sqlite3.Error):  # a damaged file cannot be checkpointed
        if db_path.exists():
            checkpoint(db_path)
    temp = db_path.with_name(db_path.name + ".restore-tmp")
    try:
        backup_database(source, temp)
        verify_database_file(temp)
        for suffix in ("-wal", "-shm"):
            _companion(db_path, suffix).unlink(missing_ok=True)
        os.replace(temp, db_path)
    except PermissionError as exc:
        raise UserError(
            f"数据库文件“{db_path.name}”正被其他程序使用（可能是另一个以只读方式打开的窗口），"
            "请关闭后再恢复。"
        ) from exc
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(db_path.parent)


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table: not one of ours
        return None
    return row[0] if row else None


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable across a power cut (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def safety_copy(source: Path, folder: Path, reason: str, now: datetime | None = None) -> Path:
    """A backup of `source` that works even when the file is damaged (then a raw copy)."""
    try:
        return timestamped_backup(source, folder, reason, now)
    except sqlite3.DatabaseError:
        return preserve_unreadable(source, folder, now)
