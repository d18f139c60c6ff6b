"""`python -m app score` end to end through app.main.main."""

import json

import pytest

from app import main as app_main
from app.main import main
from tests import factories


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


@pytest.fixture
def scored_db(db):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=1)
        factories.self_evaluation(
            s, projects[0], {"补助学生人数": "1150"}, {"补助学生人数": "20"}, claimed_total="100"
        )
        for p in projects[1:]:
            factories.self_evaluation(s, p)
    return db


def test_score_json_lists_projects_with_decimal_strings(scored_db, capsys):
    code = main(["--db", str(scored_db.target), "score", "--year", "2025", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["project_code"] for p in data] == ["219001001", "219002001", "301001001", "301002001"]
    first = data[0]
    assert (first["total"], first["grade"], first["claimed_total"]) == ("99.17", "优", "100")
    assert "“补助学生人数”：未完成目标却自评满分（按规则应得19.17）" in first["flags"]
    ind = first["indicators"][0]
    assert (ind["name"], ind["points"], ind["score"], ind["claimed_score"]) == (
        "补助学生人数", "20", "19.17", "20",
    )  # fmt: skip
    assert ind["explanation"] == "实际1150人 < 目标≥1200人，按完成比例 1150/1200×20 = 19.17"
    assert data[1]["flags"] == [] and data[1]["claimed_total"] is None


def test_score_one_project_as_a_table(scored_db, capsys):
    target = str(scored_db.target)
    code = main(["--db", target, "score", "--year", "2025", "--project", "219001001"])
    out = capsys.readouterr().out
    assert code == 0
    assert "219001001\t县教育局项目1\t99.17\t优\t100.00" in out
    assert "共 1 份自评：优 1 个，良 0 个，中 0 个，差 0 个；有疑点 1 份。" in out


def test_a_year_without_self_evaluations_exits_2_in_chinese(scored_db, capsys):
    assert main(["--db", str(scored_db.target), "score", "--year", "2024"]) == 2
    assert "2024年没有绩效自评数据" in capsys.readouterr().err
    assert main(["--db", str(scored_db.target), "score", "--year", "2025", "--project", "X"]) == 2
    assert "没有项目编码为“X”的绩效自评" in capsys.readouterr().err
