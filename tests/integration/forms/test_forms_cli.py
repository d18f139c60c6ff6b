"""`python -m app import forms FILE_OR_FOLDER... [--year Y] [--json]` through app.main.main."""

import json
import shutil
from pathlib import Path

import pytest

from app import main as app_main
from app.main import main
from app.storage.database import open_database
from tests import factories
from tests.fixtures_forms import Form, write_docx, write_xlsx

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _no_log_files(monkeypatch):
    monkeypatch.setattr(app_main, "setup_logging", lambda: None)


def _county(path: Path) -> Path:
    db = open_database(path)
    try:
        with db.transaction() as s:
            factories.year(s, 2022)
            factories.department(s, "219001", "上犹县教育局")
    finally:
        db.close()
    return path


def test_folder_import_json_and_exit_status(tmp_path, capsys):
    db = _county(tmp_path / "a.sqlite3")
    folder = tmp_path / "报送"
    folder.mkdir()
    write_xlsx(folder / "教育局.xlsx", [[Form(year=None), Form(kind="department_self", year=None)]])
    write_docx(folder / "错误.docx", [Form(unit="县教育局")])
    shutil.copy(DATA / "department_goal.xls", folder / "部门目标.xls")
    assert main(["--db", str(db), "import", "forms", str(folder), "--year", "2022", "--json"]) == 1
    files = {Path(f["file"]).name: f for f in json.loads(capsys.readouterr().out)}
    assert {n: f["status"] for n, f in files.items()} == {
        "教育局.xlsx": "已导入", "错误.docx": "有问题", "部门目标.xls": "未变",
    }  # fmt: skip
    # The 部门整体 goal came with the 自评表 just before: the 目标申报表 is only compared.
    assert not [p for p in files["部门目标.xls"]["problems"] if "不同" in p["message"]]
    first = files["教育局.xlsx"]["tables"][0]
    assert (first["kind"], first["unit_code"], first["year"], first["rows"]) == (
        "项目支出绩效自评表", "219001", 2022, 6,
    )  # fmt: skip
    (problem,) = [p for p in files["错误.docx"]["problems"] if p["blocking"]]
    assert "是否为“上犹县教育局”（219001）" in problem["message"]
    # The same folder again: nothing changes, the broken file is still refused.
    assert main(["--db", str(db), "import", "forms", str(folder), "--year", "2022"]) == 1
    printed = capsys.readouterr().out
    assert "未变  " in printed and "共 3 个文件，2 个已导入或无变化，1 个有问题。" in printed


def test_a_title_without_year_needs_one(tmp_path, capsys):
    db = _county(tmp_path / "a.sqlite3")
    path = write_xlsx(tmp_path / "a.xlsx", [[Form(year=None)]])
    assert main(["--db", str(db), "import", "forms", str(path)]) == 1
    assert "标题中没有年度" in capsys.readouterr().out
