"""Each command imports only what it uses: scoring a year loads no spreadsheet, report or
chart library, no migration machinery on a current database, and no other command's
module."""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from app.cli.commands import COMMAND_NAMES
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
    "print('commands:', ','.join(sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
    "    if m.startswith('app.cli.commands.'))))\n"
)
# The command modules each command loads: its own (goals: with its check).
OWN = {"goals": "goals,goals_check"}


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
    loaded, commands = done.stdout.splitlines()[-2:]
    assert loaded == "loaded: ", done.stdout + done.stderr
    assert commands == f"commands: {OWN.get(command[0], command[0])}"


def test_the_table_of_commands_names_what_each_module_registers():
    for module, names in COMMAND_NAMES.items():
        sub = argparse.ArgumentParser().add_subparsers()
        import_module(f"app.cli.commands.{module}").register(sub)
        assert tuple(sub.choices) == names, module
