"""An import that fails or is cancelled while writing leaves the database exactly as it was.

For each import kind a function of the write phase is made to fail after part of the rows
went in, or Progress.is_cancelled turns true at the Nth step inside the write transaction.
A checksum over every table must not move, and the "before import" backup must hold that
same state (no half-written backup either).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.progress import Cancelled, Progress
from app.domain.rules import RuleSet
from app.services.common import audit
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.services.evaluation.workbook import save as selfeval_save
from app.services.goals.workbook import export_goals, import_goals, writing
from app.services.library import workbook as library_workbook
from app.services.library.records import load_default_library
from app.services.monitoring import open_round
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.services.monitoring.workbook import service as monitoring_service
from app.storage.database import Database, backups_dir_for, open_database
from app.storage.models import Base
from tests import factories

YEAR = 2025


class Boom(RuntimeError):
    """The failure injected into the write phase."""


@dataclass
class Prepared:
    db: Database  # the database the file is imported into
    path: Path  # the workbook
    run: Callable[[Progress], object]  # the import


# --- one prepared import per kind -----------------------------------------------------------


def _goals(db: Database, tmp: Path, rules: RuleSet) -> Prepared:
    """A 2025 workbook from another database, into one holding 2024: all of it is new."""
    source = open_database(tmp / "source.sqlite3")
    with source.transaction() as s:
        factories.small_county(s, YEAR, per_department=3)
    path = tmp / "目标.xlsx"
    export_goals(source, path, YEAR)
    source.close()
    with db.transaction() as s:
        factories.small_county(s, YEAR - 1, per_department=2)
    return Prepared(db, path, lambda p: import_goals(db, path, rules, progress=p))


def _library(db: Database, tmp: Path, rules: RuleSet) -> Prepared:
    source = open_database(tmp / "source.sqlite3")
    load_default_library(source)
    path = tmp / "指标库.xlsx"
    library_workbook.export_library(source, path)
    source.close()
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    return Prepared(db, path, lambda p: library_workbook.import_library(db, path, progress=p))


def _monitoring(db: Database, tmp: Path, rules: RuleSet) -> Prepared:
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, YEAR, 6, rules)
    path = tmp / "监控.xlsx"
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    _fill(path, "项目", "执行数（万元）", lambda row: 5)  # every project changes
    return Prepared(db, path, lambda p: import_monitoring_workbook(db, path, rules, progress=p))


def _selfeval(db: Database, tmp: Path, rules: RuleSet) -> Prepared:
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=2)
    path = tmp / "自评.xlsx"
    export_selfeval(db, YEAR, path)
    _fill(path, "项目", "全年执行数(万元)", lambda row: 1)
    _fill(path, "项目", "实际完成情况", lambda row: "按计划完成")
    _fill(path, "指标", "实际完成值", lambda row: "100")
    return Prepared(db, path, lambda p: import_selfeval(db, path, progress=p))


def _fill(path: Path, sheet: str, header: str, value: Callable[[int], Any]) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value is not None:
            ws.cell(row, column).value = value(row)
    book.save(path)


KINDS = {"goals": _goals, "library": _library, "monitoring": _monitoring, "selfeval": _selfeval}


# --- failures in the middle of the write ----------------------------------------------------


def _fail_after(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, calls: int) -> None:
    """Let `owner.name` run `calls` times, then raise on the next call."""
    real = getattr(owner, name)
    count = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count > calls:
            raise Boom(f"{name} failed on call {count}")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


# Where each write phase fails: after the projects went in (goals), after the new
# indicators went in (library, at the audit entry), after one project (monitoring), after
# the new evaluations and their rows went in (selfeval, at the next batch).
FAILURES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "goals": lambda mp: _fail_after(mp, writing, "_execute", 1),
    "library": lambda mp: _fail_after(mp, audit, "record", 0),
    "monitoring": lambda mp: _fail_after(mp, monitoring_service, "apply_edit", 1),
    "selfeval": lambda mp: _fail_after(mp, selfeval_save, "_update_existing", 0),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_failure_midway_through_the_write_leaves_the_database_as_it_was(
    db, rules, tmp_path, monkeypatch, kind
):
    prepared = KINDS[kind](db, tmp_path, rules)
    before = checksum(db.target)
    FAILURES[kind](monkeypatch)
    with pytest.raises(Boom):
        prepared.run(Progress())
    assert checksum(db.target) == before
    assert checksum(_newest_backup(db)) == before  # the before-import backup is whole
    monkeypatch.undo()
    prepared.run(Progress())  # the same file still imports afterwards
    assert checksum(db.target) != before


# --- cancelling inside the write transaction ------------------------------------------------


class CancelInsideWrite:
    """is_cancelled turns true at the Nth progress step taken inside db.transaction()."""

    def __init__(self, at_step: int) -> None:
        self.at_step = at_step
        self.in_write = False
        self.steps_in_write = 0
        self.fired = False

    def is_cancelled(self) -> bool:
        if self.in_write:
            self.steps_in_write += 1
            self.fired = self.steps_in_write >= self.at_step
        return self.fired

    def watch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = Database.transaction

        @contextmanager
        def tracked(database: Database) -> Iterator[Any]:
            with real(database) as session:
                self.in_write = True
                try:
                    yield session
                finally:
                    self.in_write = False

        monkeypatch.setattr(Database, "transaction", tracked)


# The monitoring import takes no progress step while writing: it cannot be cancelled there.
CANCELS = [("goals", 1), ("goals", 4), ("library", 2), ("selfeval", 1), ("selfeval", 2)]


@pytest.mark.parametrize(("kind", "at_step"), CANCELS)
def test_a_cancel_inside_the_write_leaves_nothing_written(
    db, rules, tmp_path, monkeypatch, kind, at_step
):
    prepared = KINDS[kind](db, tmp_path, rules)
    before = checksum(db.target)
    cancel = CancelInsideWrite(at_step)
    cancel.watch(monkeypatch)
    with pytest.raises(Cancelled):
        prepared.run(Progress(is_cancelled=cancel.is_cancelled))
    assert cancel.fired and cancel.steps_in_write == at_step
    assert checksum(db.target) == before
    assert checksum(_newest_backup(db)) == before


# --- the checksum ---------------------------------------------------------------------------


def checksum(target: Path | str) -> str:
    """Every row of every table, in key order, through a separate connection: the same
    figure for a database on either backend and its backup file."""
    digest = hashlib.sha256()
    database = open_database(target, read_only=True)
    try:
        with database.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                digest.update(table.name.encode())
                order = list(table.primary_key.columns)
                for row in conn.execute(select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
    finally:
        database.close()
    return digest.hexdigest()


def _newest_backup(db: Database) -> Path:
    backups = sorted(backups_dir_for(db.target).glob("*before-import*.sqlite3"))
    assert backups, "an import backs the database up before writing"
    return backups[-1]
