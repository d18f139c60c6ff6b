"""How the command line opens the database: writer lock, read-only commands, restore of a
damaged file, and paths in JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sqlite3

import pytest

from app.cli import build_parser, run_command
from app.storage.database import open_database
from app.storage.lock import lock_path_for, read_lock_holder
from tests.integration.test_backups import add_year
from tests.integration.test_lock import HOLD, python


def main(argv: list[str]) -> int:
    return run_command(build_parser().parse_args(argv))


@pytest.fixture
def county_file(tmp_path):
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    add_year(db, 2025, projects=4, goals=2)
    db.close()
    return path


def project_count(path) -> int:
    with sqlite3.connect(path) as conn:
        value = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    conn.close()
    return value


def test_backup_restore_works_on_a_damaged_database(county_file, capsys):
    assert main(["--db", str(county_file), "backup", "create", "--json"]) == 0
    backup = json.loads(capsys.readouterr().out)["path"]
    county_file.write_bytes(b"not a database any more" * 500)
    assert main(["--db", str(county_file), "info"]) == 2  # it really does not open
    assert "不是本程序的数据库文件" in capsys.readouterr().err

    assert main(["--db", str(county_file), "backup", "restore", backup, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["restored_from"] == backup
    assert result["safety_backup"].endswith(".sqlite3")  # the damaged bytes are kept
    assert project_count(county_file) == 4


def test_paths_in_json_output_are_plain_strings(county_file, tmp_path, capsys):
    target = tmp_path / "外部备份.sqlite3"
    assert main(["--db", str(county_file), "backup", "create", "--to", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(target.resolve())}
    assert main(["--db", str(county_file), "backup", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == []  # a backup to a chosen file is not in the backups folder


def test_a_writing_command_holds_the_lock_while_it_runs_then_releases_it(county_file):
    seen = []

    def handler(_args, db):
        seen.append((read_lock_holder(db.path), db.read_only))
        return 0

    args = argparse.Namespace(db=county_file, command="test", handler=handler)
    assert run_command(args) == 0
    holder, read_only = seen[0]
    assert holder is not None and holder.pid == os.getpid() and not read_only
    assert not lock_path_for(county_file).exists()  # released and removed


@pytest.fixture
def other_process(county_file):
    """Another process (a GUI, say) holding the writer lock of county_file."""
    proc = python(HOLD, county_file)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_a_second_writer_beside_another_process_gets_exit_2_naming_the_holder(
    county_file, other_process, capsys
):
    gui = other_process

    assert main(["--db", str(county_file), "rollover", "--from-year", "2025"]) == 2
    err = capsys.readouterr().err
    assert getpass.getuser() in err and socket.gethostname() in err
    assert f"进程 {gui.pid}" in err and "同一时间只能有一处修改数据" in err
    assert project_count(county_file) == 4

    # Reading (and backing up) beside it is fine.
    assert main(["--db", str(county_file), "info", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(county_file), "backup", "create", "--json"]) == 0
    backup = json.loads(capsys.readouterr().out)["path"]
    # Restoring needs the lock too.
    assert main(["--db", str(county_file), "backup", "restore", backup]) == 2
    assert f"进程 {gui.pid}" in capsys.readouterr().err


def test_a_writing_command_makes_the_days_backup(county_file, capsys):
    args = argparse.Namespace(db=county_file, command="test", handler=lambda _a, _db: 0)
    assert run_command(args) == 0
    assert main(["--db", str(county_file), "backup", "list", "--json"]) == 0
    assert [b["reason"] for b in json.loads(capsys.readouterr().out)] == ["daily"]
