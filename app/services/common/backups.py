"""Backups the user can rely on: daily and before risky work, rotated, listed, restored.

Backups live in `backups/` beside the database file (for a server database: in this
computer's data folder), one self-contained SQLite file each, named
`<db>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3`; the name is the record of when and why.
A server's backup is a snapshot of one moment, so every backup restores onto either backend.
Automatic backups are rotated; manual ones (and raw copies of damaged files) never are.
Opening a backup to look at it: `open_backup(path)` (read-only, nothing is written).
Every function takes `now` so tests (and nothing else) can move the clock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import select

from app.domain.errors import UserError
from app.services.common import audit, jobs
from app.storage import joblock
from app.storage.backup import (
    BackupFile,
    YearSummary,
    backup_database,
    copy_into_server,
    replace_database_file,
    safety_copy,
    scan_backups,
    snapshot_server,
    stale_partials,
    summarize_backup,
    timestamped_backup,
    verify_database_file,
    write_snapshot,
)
from app.storage.database import (
    Database,
    ReadOnlyDatabaseError,
    backup_stem_for,
    backups_dir_for,
    is_open_in_this_process,
    is_server_url,
    open_database,
)
from app.storage.lock import DatabaseLocked as DatabaseLocked  # re-exported for GUI and CLI
from app.storage.lock import LockHolder, WriterLock, acquire_writer_lock, writer_lock
from app.storage.models import Department, FiscalYear, Setting
from app.storage.seats import other_seats

log = logging.getLogger(__name__)

YearCount = YearSummary

KEEP_LAST_KEY = "backup.keep_last"
KEEP_DAILY_KEY = "backup.keep_daily"
KEEP_WEEKLY_KEY = "backup.keep_weekly"
KEEP_MONTHLY_KEY = "backup.keep_monthly"

DAILY, MANUAL, DAMAGED = "daily", "manual", "damaged"
_NEVER_ROTATED = {MANUAL, DAMAGED}
REASON_LABELS = {
    DAILY: "每日自动备份",
    MANUAL: "手动备份",
    DAMAGED: "损坏文件留存",
    "before-upgrade": "程序升级前",
    "before-import": "导入前",
    "before-bulk-delete": "批量删除前",
    "before-empty-recycle-bin": "清空回收站前",
    "before-restore": "恢复备份前",
}
_REASON = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RotationPolicy:
    """How many automatic backups to keep: the newest few, then one per day/week/month."""

    keep_last: int = 5
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


_POLICY_KEYS = {
    "keep_last": KEEP_LAST_KEY,
    "daily": KEEP_DAILY_KEY,
    "weekly": KEEP_WEEKLY_KEY,
    "monthly": KEEP_MONTHLY_KEY,
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    size_bytes: int
    reason: str
    reason_label: str
    automatic: bool
    revision: str
    years: tuple[YearCount, ...]  # projects and goals per year
    total_rows: int | None
    problem: str = ""  # why the file could not be read; empty when it could


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: Path | None  # the state just before the restore (None if there was no file)
    revision: str  # schema revision of the restored file (upgraded when reopened)


class DatabaseMissing(UserError):
    """The database file is missing or empty (0 bytes) while good backups lie beside it:
    opening would silently make it a new, empty county."""

    def __init__(self, db_path: Path, backup: BackupInfo) -> None:
        state = "是空文件（0 字节）" if db_path.exists() else "不存在"
        super().__init__(
            f"数据库文件“{db_path}”{state}，但旁边有完好的备份“{backup.path}”。"
            "为免把它当作一个新的空白数据库打开，程序没有新建任何数据。"
            f'如需恢复，可运行：backup restore "{backup.path}"'
        )
        self.db_path = db_path
        self.backup = backup


@dataclass
class OpenedDatabase:
    """A database opened for writing, with its writer lock, as the GUI holds it."""

    db: Database
    lock: WriterLock | None  # a file's writer lock; seats of a server share it (no lock)
    daily_backup: Path | None
    backup_warning: str  # the daily backup failed (disk full…): show, but keep working
    recovered_from: LockHolder | None  # the previous session crashed while holding the lock

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()


def open_for_writing(
    target: Path | str, now: datetime | None = None, *, daily: bool = True
) -> OpenedDatabase:
    """Lock, open (check, backup, migrate), then make the day's backup (unless `daily` is
    False: the GUI makes it once its window has painted, before handling any input).

    Raises DatabaseLocked when another instance writes it: offer `open_database(path,
    read_only=True)` or quit. Raises UserError for a damaged file: offer
    `find_newest_good_backup` and `restore_backup`. A server database takes no lock: its
    seats write side by side.
    """
    if is_server_url(target):
        db = open_database(target)
        made, warning = _daily_or_warning(db, now) if daily else (None, "")
        return OpenedDatabase(db, None, made, warning, None)
    db_path = Path(target)
    try:  # a new database in a new folder: its lock file goes beside it
        db_path.expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹“{db_path.parent}”：{exc.strerror}") from exc
    refuse_if_lost(db_path)
    lock = acquire_writer_lock(db_path)
    try:
        db = open_database(db_path)
    except BaseException:
        lock.release()
        raise
    made, warning = _daily_or_warning(db, now) if daily else (None, "")
    return OpenedDatabase(db, lock, made, warning, lock.recovered_from)


def _daily_or_warning(db: Database, now: datetime | None) -> tuple[Path | None, str]:
    try:
        return ensure_daily_backup(db, now), ""
    except UserError as exc:
        log.warning("daily backup failed: %s", exc.message)
        return None, exc.message


def refuse_if_lost(target: Path | str) -> None:
    """DatabaseMissing when the file is missing or empty but a good backup exists."""
    if is_server_url(target):
        return
    path = Path(target).expanduser().resolve()
    if path.is_file() and path.stat().st_size > 0:
        return
    backup = find_newest_good_backup(path)
    if backup is not None:
        raise DatabaseMissing(path, backup)


def backup_policy(db: Database) -> RotationPolicy:
    with db.session() as session:
        values = {name: session.get(Setting, key) for name, key in _POLICY_KEYS.items()}
    defaults = RotationPolicy()
    parsed = {}
    for name, setting in values.items():
        try:
            parsed[name] = max(0, int(setting.value)) if setting else getattr(defaults, name)
        except ValueError:  # hand-edited nonsense: fall back rather than delete backups
            parsed[name] = getattr(defaults, name)
    return RotationPolicy(**parsed)


def set_backup_policy(db: Database, policy: RotationPolicy) -> None:
    before = backup_policy(db)
    with db.transaction() as session:
        for name, key in _POLICY_KEYS.items():
            session.merge(Setting(key=key, value=str(max(0, getattr(policy, name)))))
        audit.record(
            session,
            "update",
            audit.SETTINGS,
            label="备份保留份数",
            before=before.__dict__,
            after=policy.__dict__,
        )


def ensure_daily_backup(db: Database, now: datetime | None = None) -> Path | None:
    """Back up once a day: nothing if an automatic backup from today already exists, nor
    for a database that holds no data yet (a new file about to be filled, e.g. by the
    demo: its empty copy would be the day's only backup; the next opening makes one)."""
    if db.read_only or not holds_data(db):
        return None
    now = now or datetime.now()
    newest = next((b for b in _backups(db.target) if b.reason not in _NEVER_ROTATED), None)
    if newest is not None and newest.created_at.date() == now.date():
        return None
    path = _make_backup(db, DAILY, now)
    rotate_backups(db)
    return path


def holds_data(db: Database) -> bool:
    """Whether anything a user would miss is stored yet: a fiscal year or a unit."""
    with db.session() as session:
        return any(
            session.scalar(select(model.id).limit(1)) is not None
            for model in (FiscalYear, Department)
        )


def backup_before(db: Database, reason: str, now: datetime | None = None) -> Path:
    """Back up before risky work: reason "import", "bulk-delete", "empty-recycle-bin"…"""
    if db.read_only:
        raise ReadOnlyDatabaseError("数据库以只读方式打开，不能进行这项操作。")
    if not _REASON.match(reason):
        raise ValueError(f"backup reason must be a lowercase ascii slug: {reason!r}")
    path = _make_backup(db, f"before-{reason}", now or datetime.now())
    rotate_backups(db)
    return path


def rotate_backups(db: Database, policy: RotationPolicy | None = None) -> list[Path]:
    """Delete the automatic backups the policy no longer keeps; return what was deleted."""
    backups = _backups(db.target)
    keep = {b.path for b in plan_rotation(backups, policy or backup_policy(db))}
    deleted = []
    for backup in backups:
        if backup.path in keep:
            continue
        try:
            backup.path.unlink()
            deleted.append(backup.path)
        except OSError as exc:  # open in another program (Windows): try again next time
            log.warning("could not delete old backup %s: %s", backup.path, exc)
    folder = backups_dir_for(db.target)
    for partial in stale_partials(folder, db.backup_stem, timedelta(hours=1)):
        partial.unlink(missing_ok=True)  # left by a crash during a backup
    return deleted


def plan_rotation(backups: Sequence[BackupFile], policy: RotationPolicy) -> list[BackupFile]:
    """The backups to keep: all manual ones, the newest `keep_last` automatic ones, and the
    newest automatic one of each of the last `daily` days, `weekly` ISO weeks and
    `monthly` months that have any (so a long break never empties the folder)."""
    newest_first = sorted(backups, key=lambda b: b.created_at, reverse=True)
    automatic = [b for b in newest_first if b.reason not in _NEVER_ROTATED]
    keep = [b for b in newest_first if b.reason in _NEVER_ROTATED]
    keep += automatic[: max(1, policy.keep_last)]  # never delete the newest
    buckets: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: t.isocalendar()[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    ]
    for count, bucket_of in buckets:
        seen: set[Hashable] = set()
        for backup in automatic:
            bucket = bucket_of(backup.created_at)
            if bucket in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(bucket)
            keep.append(backup)
    kept = {b.path for b in keep}
    return [b for b in newest_first if b.path in kept]


def list_backups(db: Database | Path | str) -> list[BackupInfo]:
    """Every backup of this database, newest first, with counts read from each file."""
    return [_info(b) for b in _backups(db.target if isinstance(db, Database) else db)]


def create_backup(db: Database, now: datetime | None = None) -> BackupInfo:
    """A manual backup in the backups folder; rotation never deletes it."""
    path = _make_backup(db, MANUAL, now or datetime.now())
    _record_backup(db, path)
    return next(_info(b) for b in _backups(db.target) if b.path == path)


def backup_to_file(db: Database, target: Path) -> Path:
    """Manual "backup to file": a consistent, self-contained copy written atomically."""
    target = target.expanduser().resolve()
    if target == db.path:
        raise UserError("备份文件不能与当前数据库是同一个文件，请另选位置。")
    try:
        if db.path is None:
            written = write_snapshot(db.engine, target)
        else:
            written = backup_database(db.path, target)
    except PermissionError as exc:
        raise UserError(f"文件“{target.name}”被占用或没有写入权限，请关闭后重试。") from exc
    except OSError as exc:
        raise UserError(f"无法写入备份文件“{target}”：{exc.strerror}") from exc
    _record_backup(db, written)
    return written


def restore_backup(
    target: Path | str, backup_path: Path, now: datetime | None = None
) -> RestoreResult:
    """Replace the database with a backup. Close the database first; reopen afterwards.

    The backup is verified (integrity, our schema, not newer) before anything is touched;
    then the current state is backed up ("before-restore", a raw copy if it is damaged),
    the file is replaced, and the restore is written to the restored database's audit trail.
    A server database is refilled in one transaction, and only while no other seat is
    connected.
    """
    if is_server_url(target):
        return _restore_server(str(target), backup_path.expanduser().resolve(), now)
    db_path = Path(target).expanduser().resolve()
    backup_path = backup_path.expanduser().resolve()
    if backup_path == db_path:
        raise UserError("不能用当前数据库文件恢复它自己，请选择一个备份文件。")
    if is_open_in_this_process(db_path):
        # Swapping the file under a live engine would send later writes to the old file.
        raise RuntimeError(f"close the database before restoring it: {db_path}")
    with writer_lock(db_path):
        revision = verify_database_file(backup_path)
        safety = None
        if db_path.exists():
            safety = safety_copy(db_path, backups_dir_for(db_path), "before-restore", now)
        replace_database_file(db_path, backup_path)
        _record_restore(db_path, backup_path, safety)
    return RestoreResult(backup_path, safety, revision)


def _restore_server(url: str, backup_path: Path, now: datetime | None) -> RestoreResult:
    """Check the file, refuse while other seats are connected, keep a snapshot of the
    server as it was, then refill it from the file brought to this app's schema."""
    if is_open_in_this_process(url):
        raise RuntimeError("close the database before restoring it")
    revision = verify_database_file(backup_path)
    db = open_database(url)
    try:
        safety = _refill_server(db, backup_path, now)
    finally:
        db.close()
    _record_restore(url, backup_path, safety)
    return RestoreResult(backup_path, safety, revision)


@jobs.exclusive(joblock.RESTORE)
def _refill_server(db: Database, backup_path: Path, now: datetime | None) -> Path:
    """A second seat restoring at once is told who restores (the job lock)."""
    _refuse_other_seats(db)
    safety = _make_backup(db, "before-restore", now or datetime.now())
    with TemporaryDirectory() as folder:
        # An older backup is upgraded on a copy first: the server is at this app's head.
        copy = backup_database(backup_path, Path(folder) / "restore.sqlite3")
        open_database(copy).close()
        copy_into_server(copy, db.engine)
    return safety


def _refuse_other_seats(db: Database) -> None:
    seats = other_seats(db.engine, ignoring=joblock.own_connections())
    if seats:
        raise UserError(
            f"还有 {len(seats)} 处连接着服务器上的数据库“{db.label}”："
            f"{'；'.join(seats)}。请他们退出程序后再恢复。"
        )


def find_newest_good_backup(target: Path | str) -> BackupInfo | None:
    """For a damaged database: the newest backup that passes a full integrity check."""
    if not is_server_url(target):
        target = Path(target).expanduser().resolve()
    for backup in _backups(target):
        if backup.reason == DAMAGED:
            continue
        try:
            verify_database_file(backup.path)
        except UserError as exc:
            log.info("backup %s is not usable: %s", backup.path.name, exc.message)
            continue
        return _info(backup)
    return None


def open_backup(backup_path: Path) -> Database:
    """Open a backup to look at it: read-only, so looking never changes it."""
    return open_database(backup_path, read_only=True)


def _backups(target: Path | str) -> list[BackupFile]:
    return scan_backups(backups_dir_for(target), backup_stem_for(target))


def _make_backup(db: Database, reason: str, now: datetime) -> Path:
    folder = backups_dir_for(db.target)
    try:
        if db.path is None:
            return snapshot_server(db.engine, folder, db.backup_stem, reason, now)
        return timestamped_backup(db.path, folder, reason, now)
    except OSError as exc:
        raise UserError(
            f"无法在“{folder}”中创建备份：{exc.strerror}。请检查磁盘空间和文件夹权限。"
        ) from exc


def _info(backup: BackupFile) -> BackupInfo:
    summary = summarize_backup(backup.path)
    return BackupInfo(
        path=backup.path,
        created_at=backup.created_at,
        size_bytes=backup.size_bytes,
        reason=backup.reason,
        reason_label=REASON_LABELS.get(backup.reason, backup.reason),
        automatic=backup.reason not in _NEVER_ROTATED,
        revision=summary.revision,
        years=summary.years,
        total_rows=summary.total_rows,
        problem=summary.problem,
    )


def _record_backup(db: Database, path: Path) -> None:
    """A manual backup is a user action worth a line in the log (after the copy, so the
    backup does not contain it); a read-only database can be backed up but not written."""
    if db.read_only:
        return
    with db.transaction() as session:
        audit.record(
            session, "backup", audit.DATABASE, label=path.name, after={"备份文件": str(path)}
        )


def _record_restore(target: Path | str, backup_path: Path, safety: Path | None) -> None:
    # Opening also proves the restored file opens, and upgrades an older backup.
    db = open_database(target)
    try:
        with db.transaction() as session:
            audit.record(
                session,
                "restore",
                audit.DATABASE,
                label=backup_path.name,
                after={"恢复自": backup_path.name, "恢复前备份": safety.name if safety else ""},
            )
    finally:
        db.close()
