"""Build tests/data/schema_<revision>.sqlite3: a small database frozen at a released schema.

The upgrade test (tests/integration/test_upgrade_frozen.py) opens every such file with the
current app, so each released schema stays upgradable with its data intact. Run this once
with the commit that RELEASES a revision (the models then match that schema), and commit
the file; never rebuild an old one later, when the models have moved on:

    python tests/data/make_frozen_database.py            # the current head
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.services.demo import build_demo  # noqa: E402
from app.storage import migrate  # noqa: E402
from app.storage.database import open_database  # noqa: E402

SCALE = 0.002  # a few projects per unit: every table filled, the file small


def main() -> Path:
    revision = migrate.head_revision()
    target = Path(__file__).with_name(f"schema_{revision}.sqlite3")
    if target.exists():
        raise SystemExit(f"{target.name} exists: a frozen database is never rebuilt")
    building = target.with_suffix(".building")
    building.unlink(missing_ok=True)
    db = open_database(building)
    try:
        build_demo(db, seed=14, scale=SCALE)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        db.close()
    vacuumed = target.with_suffix(".vacuumed")
    import sqlite3

    conn = sqlite3.connect(building)
    conn.execute(f"VACUUM INTO '{vacuumed}'")
    conn.close()
    building.unlink()
    vacuumed.rename(target)
    print(f"{target} ({target.stat().st_size // 1024} KB)")
    return target


if __name__ == "__main__":
    main()
