"""Opening a database: a SQLite file (the default) or a PostgreSQL server chosen by URL.

Checks, backup before upgrade, migrations, sessions. Backend specifics (SQLite pragmas, the
backup API, integrity checks; the server's advisory lock, read-only sessions, seat names)
stay in this package, so the rest of the app speaks of "the database" only.
"""

from __future__ import annotations

import json
import re
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.atomic import atomic_path
from app.domain.errors import UserError
from app.storage import changes, migrate, versions
from app.storage.backup import (
    connect_read_only,
    snapshot_server,
    sqlite_uri,
    timestamped_backup,
)
from app.storage.lock import os_user
from app.storage.seats import SEAT_PREFIX

SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_READONLY = 8  # primary result code for "attempt to write a readonly database"
_SQLITE_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_PG_READ_ONLY_TRANSACTION = "25006"  # SQLSTATE read_only_sql_transaction
# pg_advisory_xact_lock key for schema creation/upgrades: one seat migrates, the others wait.
MIGRATION_LOCK_KEY = 0x6A69786961_0017

_seat_name = ""  # who works in this process, for the server's list of connected seats


class ReadOnlyDatabaseError(UserError):
    """A write was attempted on a database opened read-only (another copy is writing)."""


def is_server_url(target: Path | str) -> bool:
    """A `postgresql…://` URL names a server database; anything else is a SQLite file path."""
    return isinstance(target, str) and target.startswith("postgresql")


def database_target(value: str) -> Path | str:
    """What the user typed for --db (or picked): a server URL stays a string, else a path."""
    return value if is_server_url(value) else Path(value)


def server_label(url: URL) -> str:
    """ "user@host/db" (port when not the default): what messages name, never the password."""
    host = url.host or "localhost"
    if url.port and url.port != 5432:
        host = f"{host}:{url.port}"
    user = f"{url.username}@" if url.username else ""
    return f"{user}{host}/{url.database or ''}"


@dataclass(eq=False)  # identity semantics: kept in a WeakSet
class Database:
    path: Path | None  # the SQLite file; None on a server
    engine: Engine
    sessions: sessionmaker[Session]
    upgraded_from: str | None = None  # revision before an upgrade, if one ran
    backup_path: Path | None = None
    read_only: bool = False
    closed: bool = False
    change_count: int = 0  # announcing commits so far (see storage/changes.py)
    damage_seen: bool = False  # SQLite reported a damaged file while this was open
    seat: str = field(default_factory=changes.new_seat)  # whose rows in the change feed
    _subscribers: list[changes.Subscriber] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        _live.add(self)
        changes.watch(self.sessions, self.announce, self.seat)
        versions.watch(self.sessions)
        if self.path is not None:
            event.listen(self.engine, "handle_error", self._note_damage)

    def _note_damage(self, context: Any) -> None:
        code = getattr(context.original_exception, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_DAMAGED:
            self.damage_seen = True

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        """The SQLAlchemy URL with the password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def target(self) -> Path | str:
        """What opens this database again: the file, or the full URL (with its password)."""
        if self.path is not None:
            return self.path
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        """What to show the user: the file name, or "user@host/db"."""
        return self.path.name if self.path is not None else server_label(self.engine.url)

    @property
    def backup_stem(self) -> str:
        """The name its backup files start with."""
        return backup_stem_for(self.target)

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
        """Close every pooled connection. A file is checked as it is closed (the user no
        longer waits on it), so the next open need not read it all again; one that SQLite
        reported damaged is forgotten, so the next open checks it."""
        was_open, self.closed = not self.closed, True
        self.engine.dispose()
        if not was_open or self.path is None:
            return
        if self.damage_seen:
            _forget_checked(self.path)
        elif not self.read_only:
            _check_on_close(self.path)


# Databases this process has opened: a restore must not swap a file still in use here.
_live: weakref.WeakSet[Database] = weakref.WeakSet()


def is_open_in_this_process(target: Path | str) -> bool:
    key = _identity(target)
    return any(_identity(db.target) == key and not db.closed for db in list(_live))


def _identity(target: Path | str) -> str:
    if is_server_url(target):
        url = make_url(str(target))
        return f"{url.host}:{url.port or 5432}/{url.database}"
    return str(Path(target).expanduser().resolve())


def name_seat(name: str) -> None:
    """Who works here (the operator): shown by the server to other seats from the next
    connection on (a restore names the seats still connected)."""
    global _seat_name
    _seat_name = name.strip()


def application_name() -> str:
    """ "jixiao:" + the seat's name, percent-encoded: the server keeps ASCII only (PostgreSQL 15
    turns other characters into "?"); `seats.describe` shows it as "预算绩效管理:<name>"."""
    return SEAT_PREFIX + quote(_seat_name or os_user(), safe="")


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


def check_file(path: Path, *, trust_unchanged: bool = False) -> None:
    """Refuse files that are not SQLite databases or fail a quick integrity check.

    The check reads the whole file (0.1 s for a county). With `trust_unchanged` it is
    skipped when the file and its journal are as they were at this user's last good check or
    at the app's last clean close (`Database.close`), and a good check is remembered.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UserError(f"无法打开数据库文件“{path}”：{exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise UserError(
            f"“{path}”不是本程序的数据库文件（或已损坏），请选择正确的文件或从备份恢复。"
        )
    state = _file_state(path) if trust_unchanged else None
    if state is not None and _checked_states().get(str(path)) == state:
        return
    result = _quick_check(path)
    if result != "ok":
        raise UserError(f"数据库文件“{path}”完整性检查未通过（{result}），请从备份恢复。")
    if state is not None:
        _remember_good(path, state)


def _quick_check(path: Path, *, immutable: bool = False) -> str:
    try:
        conn = connect_read_only(path, immutable=immutable)
        try:
            return str(conn.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"数据库文件“{path}”已损坏，无法读取（{exc}），请从备份恢复。") from exc


def _check_on_close(path: Path) -> None:
    """Check a file the app has just closed and remember it if good and left unchanged
    meanwhile (a file another program swapped in is checked like any other). Read as an
    immutable file: a reader's open would leave an empty log and index beside it; a write
    by another program during the check changes the state, and the file is then forgotten."""
    state = _file_state(path)
    if state is not None and _passes_immutable_check(path) and _file_state(path) == state:
        _remember_good(path, state)
    else:
        _forget_checked(path)


def _passes_immutable_check(path: Path) -> bool:
    try:
        return _quick_check(path, immutable=True) == "ok"
    except UserError:
        return False


_CHECKED_KEPT = 20


def checked_path() -> Path:
    """This user's record of the files that passed the check, as they were then."""
    return paths.data_dir() / "checked_databases.json"


def _file_state(path: Path) -> list[int] | None:
    """Identity, size and modification time of the file and its write-ahead log (any write moves
    one of them)."""
    state: list[int] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            st = file.stat()
        except FileNotFoundError:
            state += [0, 0, 0]
            continue
        except OSError:
            return None
        # An empty log holds nothing (a reader's open creates one): the same as none.
        state += [st.st_ino, st.st_size, st.st_mtime_ns] if st.st_size else [0, 0, 0]
    return state


def _checked_states() -> dict[str, list[int]]:
    try:
        found = json.loads(checked_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _forget_checked(path: Path) -> None:
    """The next open of `path` checks it (see `check_file`)."""
    checked = _checked_states()
    if checked.pop(str(path), None) is not None:
        _save_checked(checked)


def _remember_good(path: Path, state: list[int]) -> None:
    checked = _checked_states()
    checked.pop(str(path), None)
    checked[str(path)] = state  # newest last; the oldest are forgotten
    _save_checked(dict(list(checked.items())[-_CHECKED_KEPT:]))


def _save_checked(kept: dict[str, list[int]]) -> None:
    target = checked_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            tmp.write_text(json.dumps(kept), encoding="utf-8")
    except (OSError, UserError):
        pass  # an accelerator only; a damaged file still fails when opened (`open_database`)


def backups_dir_for(target: Path | str) -> Path:
    """Beside a database file; for a server, this computer's data folder."""
    if is_server_url(target):
        return paths.data_dir() / "backups"
    return Path(target).parent / "backups"


def backup_stem_for(target: Path | str) -> str:
    if not is_server_url(target):
        return Path(target).stem
    url = make_url(str(target))
    port = f"_{url.port}" if url.port and url.port != 5432 else ""
    return re.sub(r"[^\w.@-]+", "_", f"{url.database}@{url.host or 'localhost'}{port}")


def open_database(target: Path | str, read_only: bool = False) -> Database:
    """Open (creating if missing) and bring the schema to this version of the app.

    `target` is a SQLite file path or a server URL (`postgresql+psycopg://user:pw@host/db`).
    With `read_only`, the database must exist and be at this app's schema version; nothing is
    migrated, backed up or written, and a write attempt raises ReadOnlyDatabaseError.
    Opening a backup to look at it is just this, with the backup's path.
    """
    if is_server_url(target):
        return _open_server(str(target), read_only)
    path = Path(target).expanduser().resolve()
    try:
        return _open_read_only(path) if read_only else _open_writable(path)
    except (sqlite3.DatabaseError, DatabaseError):
        # A file trusted as unchanged can still be damaged (a bad sector): check it whole.
        if path.is_file() and path.stat().st_size > 0:
            _forget_checked(path)
            check_file(path)  # the UserError that names the damage, if that is what it was
        raise


def _open_writable(path: Path) -> Database:
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        check_file(path, trust_unchanged=True)
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
        raise UserError(f"“{db.label}”是其他程序的 SQLite 数据库，不是本程序的数据库文件。")
    _refuse_newer(db, current)
    if existed:
        # Upgrading a user's data: keep a copy of the file as it was.
        assert db.path is not None
        db.backup_path = timestamped_backup(db.path, backups_dir_for(db.path), "before-upgrade")
        db.upgraded_from = current
    with db.engine.connect() as conn:
        # One SQLite transaction for the whole upgrade: the driver would otherwise commit each
        # CREATE/DROP/ALTER on its own, and a kill half-way would leave a half-altered schema.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        migrate.upgrade(conn)
        conn.commit()


def _refuse_newer(db: Database, current: str | None) -> None:
    if current is not None and current not in migrate.known_revisions():
        raise UserError(
            f"数据库“{db.label}”来自更新版本的程序（结构版本 {current}），"
            f"本程序只支持到结构版本 {migrate.head_revision()}。请升级程序后再打开。"
        )


def _has_foreign_tables(db: Database) -> bool:
    """A database with tables but no migration record belongs to some other program."""
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()
    return any(name != "alembic_version" for name in names)


def _open_read_only(path: Path) -> Database:
    if not path.is_file() or path.stat().st_size == 0:
        raise UserError(f"找不到数据库文件“{path}”，无法以只读方式打开。")
    check_file(path, trust_unchanged=True)
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
        raise UserError(f"“{db.label}”不是本程序的数据库，无法打开。")
    _refuse_newer(db, current)
    raise UserError(
        f"数据库“{db.label}”来自较旧版本的程序（结构版本 {current}），"
        "只读方式下无法升级，因此无法打开。请以正常方式打开（或恢复该备份），程序会先备份再升级。"
    )


# --- A PostgreSQL server ---------------------------------------------------------------


def server_url(value: str) -> URL:
    """Parse a server URL; plain `postgresql://` means the psycopg 3 driver we ship."""
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        # Not echoed: the text may hold a password.
        raise UserError("数据库地址格式不正确，应为 postgresql+psycopg://用户@主机/库名。") from exc
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg" or not url.database:
        raise UserError(
            f"数据库地址“{server_label(url)}”不受支持，应为 postgresql+psycopg://用户@主机/库名。"
        )
    return url


def make_server_engine(url: URL, read_only: bool = False) -> Engine:
    """Each connection names its seat; a read-only one makes every transaction read-only."""
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "do_connect")
    def _name_the_seat(_dialect: Any, _record: Any, _args: Any, kwargs: dict[str, Any]) -> None:
        kwargs["application_name"] = application_name()
        kwargs.setdefault("connect_timeout", 10)  # an unreachable host: an error, not a hang
        if read_only:
            kwargs["options"] = "-c default_transaction_read_only=on"

    event.listen(engine, "handle_error", _explain_server_error)
    return engine


def _explain_server_error(context: Any) -> None:
    if getattr(context.original_exception, "sqlstate", None) == _PG_READ_ONLY_TRANSACTION:
        raise ReadOnlyDatabaseError(
            "数据库以只读方式打开，不能保存修改。如需修改，请以正常方式重新打开。"
        ) from context.original_exception


def _open_server(value: str, read_only: bool) -> Database:
    url = server_url(value)
    engine = make_server_engine(url, read_only)
    db = Database(None, engine, sessionmaker(engine, expire_on_commit=False), read_only=read_only)
    try:
        if read_only:
            _check_schema_read_only(db)
        else:
            _bring_server_schema_up_to_date(db)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(f"无法连接数据库服务器“{db.label}”：{reason}") from exc
    except BaseException:
        engine.dispose()
        raise
    return db


def _bring_server_schema_up_to_date(db: Database) -> None:
    """Create or upgrade the schema in one transaction under an advisory lock: when two seats
    start together, one migrates and the other waits, then finds the schema at head."""
    head = migrate.head_revision()
    with db.engine.connect() as conn:
        if migrate.current_revision(conn) == head:
            return
        conn.rollback()
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        current = migrate.current_revision(conn)
        if current == head:
            return
        if current is None and _has_foreign_tables(db):
            raise UserError(f"数据库“{db.label}”中已有其他程序的表，不是本程序的数据库。")
        _refuse_newer(db, current)
        if current is not None:
            # Upgrading the bureau's data: keep a snapshot of it as it was.
            db.backup_path = snapshot_server(
                db.engine, backups_dir_for(db.target), db.backup_stem, "before-upgrade"
            )
            db.upgraded_from = current
        migrate.upgrade(conn)
        conn.commit()
