"""`import goals` / `export goals` / `import library` / `export library` through app.main."""

from __future__ import annotations

import openpyxl
import pytest

from app.main import main
from app.storage.database import open_database
from tests.integration.goals_workbook_data import YEAR, checksum, goals_county, stored_goals


def _county(path) -> None:
    db = open_database(path)
    with db.transaction() as s:
        goals_county(s)
    db.close()


def _open(path):
    return open_database(path)


def test_export_then_import_goals_on_the_command_line(tmp_path, capsys):
    source, target, out = tmp_path / "a.sqlite3", tmp_path / "b" / "b.sqlite3", tmp_path / "g.xlsx"
    _county(source)
    assert (
        main(["--db", str(source), "export", "goals", "--year", str(YEAR), "--out", str(out)]) == 0
    )
    assert "项目 8 个" in capsys.readouterr().out
    assert main(["--db", str(target), "import", "goals", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{YEAR} 年度：新增 9 个，修改 0 个，未变 0 个" in text
    assert "导入前的数据已备份到" in text
    assert main(["--db", str(target), "import", "goals", str(out)]) == 0
    assert "新增 0 个，修改 0 个，未变 9 个" in capsys.readouterr().out
    a, b = _open(source), _open(target)
    try:
        assert stored_goals(a) == stored_goals(b)
    finally:
        a.close()
        b.close()


def test_a_bad_file_exits_2_with_located_problems_and_saves_nothing(tmp_path, capsys):
    source, out = tmp_path / "a.sqlite3", tmp_path / "g.xlsx"
    _county(source)
    main(["--db", str(source), "export", "goals", "--year", str(YEAR), "--out", str(out)])
    book = openpyxl.load_workbook(out)
    book["指标"]["A2"] = "NOSUCHCODE"
    book.save(out)
    db = _open(source)
    before = checksum(db)
    db.close()
    capsys.readouterr()
    assert main(["--db", str(source), "import", "goals", str(out), "--year", str(YEAR)]) == 2
    err = capsys.readouterr().err
    assert "工作表“指标”第2行“项目编码”列" in err and "未导入任何数据" in err
    db = _open(source)
    assert checksum(db) == before
    db.close()


def test_blank_department_template_and_argument_errors(tmp_path, capsys):
    source, out = tmp_path / "a.sqlite3", tmp_path / "t.xlsx"
    _county(source)
    args = ["--db", str(source), "export", "goals", "--year", "2026", "--department", "219001"]
    assert main([*args, "--blank", "--out", str(out)]) == 0
    assert "单位 2 个，空白模板" in capsys.readouterr().out
    for wrong in (["export", "goals", "--out", str(out)], ["import", "nonsense", str(out)]):
        with pytest.raises(SystemExit) as caught:
            main(["--db", str(source), *wrong])
        assert caught.value.code == 2
    assert "命令行参数错误" in capsys.readouterr().err


def test_library_export_and_import(tmp_path, capsys):
    source, target, out = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "lib.xlsx"
    assert main(["--db", str(source), "demo", "--scale", "0.02"]) == 0
    assert main(["--db", str(source), "export", "library", "--out", str(out)]) == 0
    assert "已导出指标库" in capsys.readouterr().out
    assert main(["--db", str(target), "import", "library", str(out)]) == 0
    assert "修改 0 个，未变 0 个" in capsys.readouterr().out
