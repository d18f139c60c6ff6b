"""`python -m app export monitoring` / `import monitoring` through app.main.main."""

from __future__ import annotations

import openpyxl
import pytest

from app.main import main
from app.services.monitoring import open_round, round_rows
from tests import factories


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    return db


def run(db, capsys, *args):
    code = main(["--db", str(db.target), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_from_the_command_line(june, rules, tmp_path, capsys):
    path = tmp_path / "教育局.xlsx"
    args = ("export", "monitoring", "--year", "2025", "--month", "6")
    code, out, _ = run(june, capsys, *args, "--department", "219001", "--out", str(path))
    assert code == 0 and "1 个项目、6 个指标" in out
    book = openpyxl.load_workbook(path)
    book["项目"]["I2"] = 2.5  # 执行数 25,000 元 of 100,000: red at June
    book.save(path)
    code, out, err = run(june, capsys, "import", "monitoring", str(path))
    assert code == 0, err
    assert "更新 1 个项目" in out and "导入前已备份数据库" in out
    assert round_rows(june, 2025, 6, rules)[0].spent == 25000
    code, out, _ = run(june, capsys, "import", "monitoring", str(path))
    assert code == 0 and "没有需要更新的内容" in out


def test_import_errors_exit_2_with_located_problems(june, tmp_path, capsys):
    path = tmp_path / "全县.xlsx"
    args = ("export", "monitoring", "--year", "2025", "--month", "6", "--out", str(path))
    assert run(june, capsys, *args)[0] == 0
    book = openpyxl.load_workbook(path)
    book["项目"]["H3"] = "很多"
    book.save(path)
    code, out, err = run(june, capsys, "import", "monitoring", str(path))
    assert code == 2 and out == ""
    assert "未导入任何数据" in err and "工作表“项目”第3行“调整后预算（万元）”列" in err


def test_import_needs_a_file_and_export_a_round(june, tmp_path, capsys):
    code, _, err = run(june, capsys, "import", "monitoring", str(tmp_path / "无.xlsx"))
    assert code == 2 and err
    args = ("export", "monitoring", "--year", "2025", "--month", "9", "--out", str(tmp_path / "x"))
    code, _, err = run(june, capsys, *args)
    assert code == 2 and "尚未开启" in err
