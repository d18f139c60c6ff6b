"""The schema check reads revisions without Alembic, and agrees with Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from app.storage import migrate
from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_head_and_known_revisions_match_alembic():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_current_revision_of_a_new_and_a_migrated_database(tmp_path):
    db = open_database(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    db.close()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path):
    path = tmp_path / "b.sqlite3"
    open_database(path).close()  # built (and upgraded) here, in this process
    code = (
        "import sys\n"
        "from app.storage.database import open_database\n"
        "from pathlib import Path\n"
        f"open_database(Path({str(path)!r})).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
