"""公开 pack: one PDF and Word file per unit plus an index, records, cancel writes nothing."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.main import main
from app.services.disclosure import build_disclosure_pack, disclosure_records
from tests import factories

YEAR = 2025


@pytest.fixture
def county(db):
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=2)
        factories.self_evaluation(s, projects[0])
        factories.self_evaluation(s, projects[1])
    return db


def test_one_file_per_unit_plus_the_index_and_records(county, rules, tmp_path):
    pack = build_disclosure_pack(county, YEAR, tmp_path, rules)
    assert pack.folder == tmp_path / "2025年绩效信息公开"
    assert [u.department_code for u in pack.units] == ["219001", "219002", "301001", "301002"]
    first = pack.units[0]
    assert (first.goal_tables, first.evaluation_tables) == (2, 2)
    assert pack.units[1].evaluation_tables == 0
    names = sorted(p.name for p in pack.folder.iterdir())
    assert names[0] == "00_公开目录.pdf" and len(names) == 1 + 2 * 4
    text = "".join(
        p.extract_text() for p in PdfReader(pack.folder / f"{first.file_stem}.pdf").pages
    )
    assert "绩效目标（随部门预算公开）" in text.replace(" ", "")
    assert "219001001" in text
    records = disclosure_records(county, YEAR)
    assert [(r.department_code, r.goal_tables, r.evaluation_tables) for r in records][:2] == [
        ("219001", 2, 2), ("219002", 2, 0),
    ]  # fmt: skip
    assert records[0].file_name == f"{first.file_stem}.pdf"


def test_cancel_leaves_no_files_and_no_records(county, rules, tmp_path):
    calls = []

    def report(done: int, _total: int, _message: str) -> None:
        calls.append(done)

    progress = Progress(report=report, is_cancelled=lambda: len(calls) >= 3)
    with pytest.raises(Cancelled):
        build_disclosure_pack(county, YEAR, tmp_path, rules, progress)
    assert list((tmp_path / "2025年绩效信息公开").iterdir()) == []
    assert disclosure_records(county, YEAR) == []


def test_nothing_to_publish_is_said(db, rules, tmp_path):
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    with pytest.raises(UserError, match="2024年没有可公开"):
        build_disclosure_pack(db, 2024, tmp_path, rules)


def test_the_cli_writes_and_lists(county, capsys, tmp_path):
    base = ["--db", str(county.target), "disclose"]
    assert main([*base, "pack", "--year", "2025", "--out", str(tmp_path)]) == 0
    assert "4 个单位" in capsys.readouterr().out
    assert main([*base, "list", "--year", "2025"]) == 0
    assert "219001" in capsys.readouterr().out
