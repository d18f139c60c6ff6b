"""Opening a database file: checks, backup before upgrade, migrations, sessions.

SQLite specifics (pragmas, the backup API, integrity checks) stay in this package so the
rest of the app could point at PostgreSQL later.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import UserError
from app.storage import migrate
from app.storage.backup import timestamped_backup

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    upgraded_from: str | None = None  # revision before an upgrade, if one ran
    backup_path: Path | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.sessions.begin() as session:
            yield session

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


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
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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


def open_database(path: Path) -> Database:
    """Open (creating if missing) and bring the schema to this version of the app."""
    path = path.expanduser().resolve()
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
    with db.engine.begin() as conn:
        migrate.upgrade(conn)


def _has_foreign_tables(db: Database) -> bool:
    """A SQLite file with tables but no migration record belongs to some other program."""
    with db.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all()
    return any(name != "alembic_version" for (name,) in names)
