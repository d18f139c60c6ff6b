"""`python -m app import selfeval` / `export selfeval` end to end through app.main.main."""

import json
from pathlib import Path

import pytest

from app import main as app_main
from app.main import main
from app.storage.database import open_database
from tests import factories
from tests.integration.test_selfeval_workbook import edit, fill_all, find_row, set_cell


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


def _county(path: Path) -> Path:
    db = open_database(path)
    try:
        with db.transaction() as s:
            factories.small_county(s, 2025, per_department=2)
    finally:
        db.close()
    return path


def test_export_fill_import_and_score(tmp_path, capsys):
    db = _county(tmp_path / "a.sqlite3")
    out = tmp_path / "自评.xlsx"
    args = ["--db", str(db), "export", "selfeval", "--year", "2025", "--department", "301001"]
    assert main([*args, "--out", str(out)]) == 0
    assert "已导出 2 个项目、12 个指标" in capsys.readouterr().out
    fill_all(out)
    assert main(["--db", str(db), "import", "selfeval", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "新增自评 2 份，更新 0 份，未变化 0 份，指标 12 行" in printed
    assert "导入前的备份" in printed
    assert main(["--db", str(db), "import", "selfeval", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["created"], result["unchanged"], result["backup"]) == (0, 2, None)
    assert main(["--db", str(db), "score", "--year", "2025", "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert [s["project_code"] for s in scores] == ["301001001", "301001002"]
    assert scores[0]["total"] == "99.00"  # 90% spent: execution 9 of 10


def test_import_with_errors_exits_2_and_lists_them(tmp_path, capsys):
    db = _county(tmp_path / "a.sqlite3")
    out = tmp_path / "自评.xlsx"
    assert main(["--db", str(db), "export", "selfeval", "--year", "2025", "--out", str(out)]) == 0
    fill_all(out)
    edit(out, lambda p, i: set_cell(i, find_row(i, name="补助学生人数"), "实际完成值", "很多"))
    capsys.readouterr()
    assert main(["--db", str(db), "import", "selfeval", str(out)]) == 2
    err = capsys.readouterr().err
    assert "有 1 个问题须改正，未导入任何数据" in err
    assert "工作表“指标”第2行“实际完成值”列：定量指标的实际完成值“很多”应为数字" in err


def test_export_unknown_year_is_a_user_error(tmp_path, capsys):
    db = _county(tmp_path / "a.sqlite3")
    out = tmp_path / "x.xlsx"
    assert main(["--db", str(db), "export", "selfeval", "--year", "2030", "--out", str(out)]) == 2
    assert "2030" in capsys.readouterr().err
    assert not out.exists()
