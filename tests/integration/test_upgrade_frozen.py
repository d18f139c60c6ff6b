"""Every released schema upgrades to this version with its data intact, and an upgrade killed
half-way leaves the previous version as it was.

tests/data/schema_<revision>.sqlite3 are small databases frozen at released schemas (built by
tests/data/make_frozen_database.py when the revision was released); a new release adds a
file and the test covers it. Facts compared before and after: the rows of every table, the
money totals of every Money column, integrity and foreign keys.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.services.common.catalog import list_years
from app.storage import migrate
from app.storage.database import open_database
from app.storage.models import Base
from app.storage.types import Money

ROOT = Path(__file__).resolve().parents[2]
FROZEN = sorted((ROOT / "tests" / "data").glob("schema_*.sqlite3"))
MONEY = sorted(
    (table.name, column.name)
    for table in Base.metadata.tables.values()
    for column in table.columns
    if isinstance(column.type, Money)
)


@dataclass(frozen=True)
class Facts:
    revision: str | None
    rows: dict[str, int]
    money: dict[tuple[str, str], int]
    integrity: str
    foreign_key_errors: int
    columns: dict[str, tuple[str, ...]]


def facts(path: Path) -> Facts:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rows = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        columns = {
            t: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables
        }
        money = {
            (t, c): conn.execute(f'SELECT coalesce(sum("{c}"), 0) FROM "{t}"').fetchone()[0]
            for t, c in MONEY
            if c in columns.get(t, ())
        }
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return Facts(
            revision[0] if revision else None,
            rows,
            money,
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            len(conn.execute("PRAGMA foreign_key_check").fetchall()),
            columns,
        )
    finally:
        conn.close()


def test_the_released_schema_is_frozen():
    assert [p.name for p in FROZEN][:1] == ["schema_0001.sqlite3"]


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_a_frozen_database_upgrades_to_head_with_its_data(tmp_path, frozen):
    path = tmp_path / "县.sqlite3"
    shutil.copy(frozen, path)
    before = facts(path)
    assert before.integrity == "ok" and before.rows["projects"] > 0 and any(before.money.values())
    db = open_database(path)
    try:
        assert len(list_years(db)) == 2  # the app reads it
        upgraded = db.upgraded_from is not None
    finally:
        db.close()
    after = facts(path)
    assert after.revision == migrate.head_revision()
    assert (after.integrity, after.foreign_key_errors) == ("ok", 0)
    # Every row kept; `settings` may gain a key a migration documents (e.g. database.demo).
    grown = {"settings"}
    kept = {t: n for t, n in before.rows.items() if t != "alembic_version"}
    assert {t: after.rows.get(t) for t in kept if t not in grown} == {
        t: n for t, n in kept.items() if t not in grown
    }
    assert all(after.rows[t] >= kept[t] for t in grown if t in kept)
    assert {k: v for k, v in after.money.items() if k in before.money} == before.money
    assert not any(v for k, v in after.money.items() if k not in before.money)  # new tables
    assert upgraded == (before.revision != after.revision)


# --- kill -9 in the middle of a migration --------------------------------------------------

SLOW_REVISION = '''
"""A test-only revision that changes data and tables, then waits to be killed."""
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "test_killed"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("killed_note", sa.String(20), nullable=True))
    op.execute("UPDATE projects SET total_amount = 0")
    op.execute("DELETE FROM self_evaluation_indicators")
    Path({marker!r}).write_text("half-way")
    time.sleep({sleep})


def downgrade() -> None:
    pass
'''

MIGRATE = """
import sys
from pathlib import Path
import app.storage.migrate as migrate
migrate.migrations_dir = lambda: Path(sys.argv[2])
from app.storage.database import open_database
open_database(Path(sys.argv[1]))
"""


def _migrations_with_a_slow_revision(folder: Path, marker: Path, sleep: int = 120) -> Path:
    target = folder / "migrations"
    shutil.copytree(
        ROOT / "db" / "migrations", target, ignore=shutil.ignore_patterns("__pycache__")
    )
    text = SLOW_REVISION.format(head=migrate.head_revision(), marker=str(marker), sleep=sleep)
    (target / "versions" / "9999_test_killed.py").write_text(text, encoding="utf-8")
    return target


def test_the_same_migration_left_to_finish_is_applied_whole(tmp_path, monkeypatch):
    path = tmp_path / "县.sqlite3"
    shutil.copy(FROZEN[-1], path)
    open_database(path).close()
    migrations = _migrations_with_a_slow_revision(tmp_path, tmp_path / "marker", sleep=0)
    monkeypatch.setattr(migrate, "migrations_dir", lambda: migrations)
    open_database(path).close()
    after = facts(path)
    assert after.revision == "test_killed" and "killed_note" in after.columns["projects"]
    assert after.rows["self_evaluation_indicators"] == 0 and after.integrity == "ok"


@pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")  # one child, ~2 s: default run
def test_a_migration_killed_half_way_leaves_the_previous_version_intact(tmp_path):
    path = tmp_path / "县.sqlite3"
    shutil.copy(FROZEN[-1], path)
    open_database(path).close()  # at head, as a user's file is before the next release
    before = facts(path)
    marker = tmp_path / "half-way"
    migrations = _migrations_with_a_slow_revision(tmp_path, marker)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", MIGRATE, str(path), str(migrations)], env=env, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the migration ended before it was killed"
            assert time.monotonic() < deadline, "the migration never got half-way"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    after = facts(path)
    assert (after.revision, after.integrity, after.foreign_key_errors) == (before.revision, "ok", 0)
    assert after.rows == before.rows
    assert after.columns == before.columns  # no half-altered table, no _alembic_tmp_ copy
    db = open_database(path)  # the released app still opens it as it was
    db.close()
