"""Exit codes and messages of the command line shell around every command."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR, run_command
from app.domain.errors import UserError
from app.main import main
from app.storage.database import open_database


def _run(tmp_path, handler) -> int:
    args = argparse.Namespace(db=tmp_path / "cli.sqlite3", command="test", handler=handler)
    return run_command(args)


def test_a_user_error_exits_2_with_its_message(tmp_path, capsys):
    def handler(args, db):
        raise UserError("项目编码“X1”不存在")

    assert _run(tmp_path, handler) == EXIT_USER_ERROR
    assert "项目编码“X1”不存在" in capsys.readouterr().err


def test_a_bug_exits_1_without_a_traceback_on_screen(tmp_path, capsys):
    def handler(args, db):
        raise ZeroDivisionError

    assert _run(tmp_path, handler) == EXIT_UNEXPECTED
    err = capsys.readouterr().err
    assert "程序内部错误" in err
    assert "Traceback" not in err


def test_a_closed_pipe_is_not_reported_as_a_crash(tmp_path):
    db = tmp_path / "pipe.sqlite3"
    assert main(["--db", str(db), "demo", "--scale", "0.05"]) == 0
    # Far more output than a pipe buffer holds, so writing fails once the reader is gone.
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "score", "--year", "2025", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away, as `| head -c 1` would
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == EXIT_OK
    assert "程序内部错误" not in err
    assert "BrokenPipe" not in err


def test_info_json_on_an_empty_database(tmp_path, capsys):
    path = tmp_path / "new.sqlite3"
    open_database(path).close()
    assert main(["--db", str(path), "info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_revision"]
    assert data["tables"]["projects"] == 0
    assert data["years"] == []


def test_a_damaged_database_exits_2_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "坏文件.sqlite3"
    bad.write_text("这不是数据库", encoding="utf-8")
    assert main(["--db", str(bad), "info"]) == EXIT_USER_ERROR
    assert "坏文件.sqlite3" in capsys.readouterr().err


def test_an_unknown_command_is_a_user_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--db", "x.sqlite3", "nonsense"])
    assert caught.value.code == EXIT_USER_ERROR
    assert "命令行参数错误" in capsys.readouterr().err
