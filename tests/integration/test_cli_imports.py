"""Each command imports only what it uses: scoring a year loads no spreadsheet, report or
chart library, and no migration machinery on a current database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "reportlab", "docx", "matplotlib", "alembic")
RUN_AND_LIST = (
    "import sys\n"
    "from app.main import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print('loaded:', ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["score", "--year", "2025"],
        ["lamps", "--year", "2025", "--month", "6"],
        ["sample", "--year", "2025"],
        ["rollover", "--from-year", "2025"],
        ["backup", "list"],
        ["goals", "check", "--year", "2025"],
        ["library", "from-history"],
    ],
    ids=lambda c: c[0],
)
def test_a_command_loads_no_library_it_does_not_use(tmp_path, command):
    db = tmp_path / "county.sqlite3"
    open_database(db).close()
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, "--db", str(db), *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[-1] == "loaded: ", done.stdout + done.stderr
