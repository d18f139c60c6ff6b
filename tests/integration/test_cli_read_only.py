"""Commands that only read never write a byte, and a lost database is never made anew.

QA: `info` on a 0-byte file wrote an empty schema into it; `backup create`, `lamps` and
`score` opened the file for writing (an audit row, a possible upgrade beside a GUI). And a
missing or emptied database opened as a new, empty county although good backups lay beside
it. Each read-only command runs on a demo database; its file, -wal and audit trail are
compared byte for byte before and after.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.cli import EXIT_OK, EXIT_USER_ERROR
from app.main import main
from app.services.common.backups import create_backup, list_backups
from app.storage.database import open_database

READ_ONLY = [
    ["info"],
    ["lamps", "--year", "2025", "--month", "6"],
    ["score", "--year", "2025"],
    ["backup", "list"],
    ["backup", "create"],
    ["export", "goals", "--year", "2025", "--out", "{tmp}/目标.xlsx"],
    ["report", "annual", "--year", "2025", "--out", "{tmp}/报告.docx"],
    ["keyeval", "list", "--year", "2025"],
    ["rectification", "list", "--year", "2025"],
    ["rectification", "export", "--year", "2025", "--out", "{tmp}/整改.xlsx"],
    ["disclose", "list", "--year", "2025"],
    ["carry", "list", "--year", "2025"],
    ["carry", "export", "--year", "2025", "--out", "{tmp}/考核.xlsx"],
]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "county.sqlite3"
    assert main(["--db", str(path), "demo", "--scale", "0.05"]) == EXIT_OK
    return path


def _fingerprint(path: Path) -> dict[str, object]:
    """The file's and its -wal's bytes and mtimes, and the audit trail's length. A read-only
    SQLite connection may leave an empty -wal (and the -shm index) behind: no data."""
    files: dict[str, object] = {}
    for suffix in ("", "-wal"):
        p = Path(f"{path}{suffix}")
        written = p.exists() and p.stat().st_size > 0
        files[suffix] = (
            (hashlib.sha256(p.read_bytes()).digest(), p.stat().st_mtime_ns) if written else None
        )
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)  # creates no -wal
    try:
        files["audit"] = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()
    return files


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_a_read_only_command_writes_nothing(demo_file, tmp_path, command, capsys):
    before = _fingerprint(demo_file)
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(["--db", str(demo_file), *argv]) == EXIT_OK, capsys.readouterr().err
    assert _fingerprint(demo_file) == before


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_info_on_a_missing_or_empty_file_creates_nothing(tmp_path, state, capsys):
    path = tmp_path / "county.sqlite3"
    if state == "empty":
        path.write_bytes(b"")
    assert main(["--db", str(path), "info"]) == EXIT_USER_ERROR
    assert "数据库文件" in capsys.readouterr().err
    assert (path.exists(), path.stat().st_size if path.exists() else 0) == (state == "empty", 0)
    assert not Path(f"{path}-wal").exists()


def _lost_with_backup(tmp_path: Path, state: str) -> tuple[Path, Path]:
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    try:
        backup = create_backup(db).path
    finally:
        db.close()
    path.unlink()
    if state == "empty":
        path.write_bytes(b"")
    return path, backup


@pytest.mark.parametrize("state", ["missing", "empty"])
@pytest.mark.parametrize("command", [["info"], ["demo", "--scale", "0.05"]], ids=["info", "demo"])
def test_a_lost_database_with_a_backup_beside_it_is_refused(tmp_path, state, command, capsys):
    path, backup = _lost_with_backup(tmp_path, state)
    assert main(["--db", str(path), *command]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert str(backup) in err
    assert "backup restore" in err
    assert path.exists() == (state == "empty")
    assert not path.exists() or path.stat().st_size == 0


def test_the_days_backup_waits_for_the_first_writing_command(tmp_path, capsys):
    path = tmp_path / "county.sqlite3"
    assert main(["--db", str(path), "demo", "--scale", "0.05"]) == EXIT_OK
    for backup in list_backups(path):  # the demo's own: start the day afresh
        Path(backup.path).unlink()
    for command in READ_ONLY[:3] + READ_ONLY[-6:]:
        argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
        assert main(["--db", str(path), *argv]) == EXIT_OK, capsys.readouterr().err
    assert list_backups(path) == []
    assert main(["--db", str(path), "rectification", "generate", "--year", "2025"]) == EXIT_OK
    assert [b.reason for b in list_backups(path)] == ["daily"]
