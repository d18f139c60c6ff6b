"""`python -m app sample` end to end through app.main.main."""

import json
from pathlib import Path

import pytest

from app import main as app_main
from app.main import main
from app.storage.database import open_database
from tests import factories


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


def _county(path: Path) -> Path:
    db = open_database(path)
    try:
        with db.transaction() as s:
            for p in factories.small_county(s, 2025, per_department=4):
                factories.self_evaluation(s, p)
    finally:
        db.close()
    return path


def _sample(path: Path, capsys, *extra: str) -> list[dict]:
    code = main(["--db", str(path), "sample", "--year", "2025", "--json", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_sample_json_has_one_entry_per_section(tmp_path, capsys):
    data = _sample(_county(tmp_path / "a.sqlite3"), capsys, "--seed", "9")
    assert [(e["section"], e["population"], e["drawn"]) for e in data] == [
        ("教科文股", 8, 2),
        ("农业农村股", 8, 2),
    ]
    assert all(len(e["project_codes"]) == e["drawn"] for e in data)


def test_same_seed_same_sample_and_a_rerun_shows_the_recorded_one(tmp_path, capsys):
    a = _sample(_county(tmp_path / "a.sqlite3"), capsys, "--seed", "42")
    b = _sample(_county(tmp_path / "b.sqlite3"), capsys, "--seed", "42")
    assert a == b
    again = _sample(tmp_path / "a.sqlite3", capsys, "--seed", "42")
    assert again == a
    shown = _sample(tmp_path / "a.sqlite3", capsys)  # no seed: the recorded draw
    assert shown == a


def test_another_seed_needs_replace(tmp_path, capsys):
    path = _county(tmp_path / "a.sqlite3")
    first = _sample(path, capsys, "--seed", "1")
    assert main(["--db", str(path), "sample", "--year", "2025", "--seed", "2"]) == 2
    assert "如需重新抽取" in capsys.readouterr().err
    wider = _sample(path, capsys, "--seed", "2", "--ratio", "0.5", "--replace")
    assert [e["drawn"] for e in wider] == [4, 4] and wider != first


def test_a_year_without_self_evaluations_exits_2(tmp_path, capsys):
    path = _county(tmp_path / "a.sqlite3")
    db = open_database(path)
    with db.transaction() as s:
        factories.year(s, 2026)
    db.close()
    assert main(["--db", str(path), "sample", "--year", "2026"]) == 2
    assert "2026年没有绩效自评，无法抽取复核样本。" in capsys.readouterr().err


def test_human_output_names_seed_and_rule(tmp_path, capsys):
    path = _county(tmp_path / "a.sqlite3")
    assert main(["--db", str(path), "sample", "--year", "2025", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "2025年抽查复核样本：随机种子 3" in out
    assert "合计：自评 16 份，抽取 4 份。" in out
