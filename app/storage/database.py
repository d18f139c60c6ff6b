"""Opening a database file: checks, backup before upgrade, migrations, sessions.

SQLite specifics (pragmas, the backup API, integrity checks) stay in this package so the
rest of the app could point at PostgreSQL later.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import UserError
from app.storage import changes, migrate, versions
from app.storage.backup import connect_read_only, sqlite_uri, timestamped_backup

SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_READONLY = 8  # primary result code for "attempt to write a readonly database"


class ReadOnlyDatabaseError(UserError):
    """A write was attempted on a database opened read-only (another copy is writing)."""


@dataclass(eq=False)  # identity semantics: kept in a WeakSet
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    upgraded_from: str | None = None  # revision before an upgrade, if one ran
    backup_path: Path | None = None
    read_only: bool = False
    closed: bool = False
    change_count: int = 0  # announcing commits so far (see storage/changes.py)
    seat: str = field(default_factory=changes.new_seat)  # whose rows in the change feed
    _subscribers: list[changes.Subscriber] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        _live.add(self)
        changes.watch(self.sessions, self.announce, self.seat)
        versions.watch(self.sessions)

    def subscribe(self, subscriber: changes.Subscriber) -> Callable[[], None]:
        """Call `subscriber(kinds)` after every commit that changed data (on the thread that
        committed); returns the function that unsubscribes."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def announce(self, kinds: frozenset[str]) -> None:
        """Tell subscribers what changed: called after each commit, and by whoever changed
        the data outside a session (a restore; later, another seat)."""
        self.change_count += 1
        changes.notify(self._subscribers, kinds)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.sessions.begin() as session:
            yield session

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.closed = True
        self.engine.dispose()


# Databases this process has opened: a restore must not swap a file still in use here.
_live: weakref.WeakSet[Database] = weakref.WeakSet()


def is_open_in_this_process(path: Path) -> bool:
    path = path.expanduser().resolve()
    return any(db.path == path and not db.closed for db in list(_live))


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _set_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # No journal_mode here: changing it is a write. query_only guards even the ro URI.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_read_only_engine(path: Path) -> Engine:
    """An engine over `mode=ro`: SQLite itself refuses every write to the file."""
    uri = sqlite_uri(path, mode="ro")
    engine = create_engine(
        f"sqlite:///{path}",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
    )
    event.listen(engine, "connect", _set_read_only_pragmas)
    event.listen(engine, "handle_error", _explain_read_only_write)
    return engine


def _explain_read_only_write(context: Any) -> None:
    """Turn SQLite's "readonly database" error into a message the user understands."""
    code = getattr(context.original_exception, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == _SQLITE_READONLY:
        raise ReadOnlyDatabaseError(
            "数据库以只读方式打开（另一处正在修改它），不能保存修改。"
            "如需修改，请关闭另一处的程序后重新打开。"
        ) from context.original_exception


def check_file(path: Path) -> None:
    """Refuse files that are not SQLite databases or fail a quick integrity check."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UserError(f"无法打开数据库文件“{path}”：{exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise UserError(
            f"“{path}”不是本程序的数据库文件（或已损坏），请选择正确的文件或从备份恢复。"
        )
    try:
        conn = connect_read_only(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"数据库文件“{path}”已损坏，无法读取（{exc}），请从备份恢复。") from exc
    if result != "ok":
        raise UserError(f"数据库文件“{path}”完整性检查未通过（{result}），请从备份恢复。")


def backups_dir_for(path: Path) -> Path:
    return path.parent / "backups"


def open_database(path: Path, read_only: bool = False) -> Database:
    """Open (creating if missing) and bring the schema to this version of the app.

    With `read_only`, the file must exist and be at this app's schema version; nothing is
    migrated, backed up or written, and a write attempt raises ReadOnlyDatabaseError.
    Opening a backup to look at it is just this, with the backup's path.
    """
    path = path.expanduser().resolve()
    if read_only:
        return _open_read_only(path)
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        check_file(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    db = Database(path, engine, sessionmaker(engine, expire_on_commit=False))
    try:
        _bring_schema_up_to_date(db, existed)
    except Exception:
        engine.dispose()
        raise
    return db


def _bring_schema_up_to_date(db: Database, existed: bool) -> None:
    with db.engine.connect() as conn:
        current = migrate.current_revision(conn)
    head = migrate.head_revision()
    if current == head:
        return
    if current is None and existed and _has_foreign_tables(db):
        raise UserError(f"“{db.path.name}”是其他程序的 SQLite 数据库，不是本程序的数据库文件。")
    if current is not None and current not in migrate.known_revisions():
        raise UserError(
            f"数据库“{db.path.name}”来自更新版本的程序（结构版本 {current}），"
            f"本程序只支持到结构版本 {head}。请升级程序后再打开。"
        )
    if existed:
        # Upgrading a user's data: keep a copy of the file as it was.
        db.backup_path = timestamped_backup(db.path, backups_dir_for(db.path), "before-upgrade")
        db.upgraded_from = current
    with db.engine.connect() as conn:
        # One SQLite transaction for the whole upgrade: the driver would otherwise commit each
        # CREATE/DROP/ALTER on its own, and a kill half-way would leave a half-altered schema.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        migrate.upgrade(conn)
        conn.commit()


def _has_foreign_tables(db: Database) -> bool:
    """A SQLite file with tables but no migration record belongs to some other program."""
    with db.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all()
    return any(name != "alembic_version" for (name,) in names)


def _open_read_only(path: Path) -> Database:
    if not path.is_file() or path.stat().st_size == 0:
        raise UserError(f"找不到数据库文件“{path}”，无法以只读方式打开。")
    check_file(path)
    engine = make_read_only_engine(path)
    db = Database(path, engine, sessionmaker(engine, expire_on_commit=False), read_only=True)
    try:
        _check_schema_read_only(db)
    except Exception:
        engine.dispose()
        raise
    return db


def _check_schema_read_only(db: Database) -> None:
    with db.engine.connect() as conn:
        current = migrate.current_revision(conn)
    head = migrate.head_revision()
    if current == head:
        return
    if current is None:
        raise UserError(f"“{db.path.name}”不是本程序的数据库文件，无法打开。")
    if current not in migrate.known_revisions():
        raise UserError(
            f"数据库“{db.path.name}”来自更新版本的程序（结构版本 {current}），"
            f"本程序只支持到结构版本 {head}。请升级程序后再打开。"
        )
    raise UserError(
        f"数据库“{db.path.name}”来自较旧版本的程序（结构版本 {current}），"
        "只读方式下无法升级，因此无法打开。请以正常方式打开（或恢复该备份），程序会先备份再升级。"
    )
