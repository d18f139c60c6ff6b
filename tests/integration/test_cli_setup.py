"""`init` and `units import` on the command line: the wizard's services, headless."""

from __future__ import annotations

from openpyxl import Workbook

from app.cli import EXIT_OK, EXIT_USER_ERROR
from app.main import main
from app.services.common import audit_log
from app.services.common.catalog import list_years
from app.services.setup.county import county_names
from app.services.setup.sections import list_sections
from app.services.setup.units import list_units
from app.storage.database import open_database


def _units_file(path, *rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位编码", "单位名称", "主管部门编码", "股室"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_init_then_units_import_set_up_a_county(tmp_path, capsys):
    path = tmp_path / "青山县.sqlite3"
    db_args = ["--db", str(path), "--operator", "张三"]
    init = ["init", "--county", "青山县", "--year", "2026", "--sections", "预算股、教科文股"]
    assert main([*db_args, *init]) == EXIT_OK
    units = _units_file(
        tmp_path / "单位.xlsx",
        ("219001", "县教育局", "", "教科文股"),
        ("219002", "县第一中学", "219001", "教科文股"),
    )
    assert main([*db_args, "units", "import", str(units)]) == EXIT_OK
    assert "已导入单位 2 个，新建股室 0 个" in capsys.readouterr().out
    db = open_database(path)
    try:
        names = county_names(db)
        assert (names.county, names.bureau) == ("青山县", "青山县财政局")
        assert list_years(db) == [2026]
        assert [s.name for s in list_sections(db)] == ["预算股", "教科文股"]
        assert [u.code for u in list_units(db)] == ["219001", "219002"]
        entries = audit_log.list_audit(db)
        assert {e.display_name for e in entries} == {"张三"}
    finally:
        db.close()


def test_a_second_init_and_a_bad_units_file_are_refused_in_chinese(tmp_path, capsys):
    path = str(tmp_path / "x.sqlite3")
    assert main(["--db", path, "init", "--county", "青山县", "--year", "2026"]) == EXIT_OK
    assert main(["--db", path, "init", "--county", "白水县", "--year", "2026"]) == EXIT_USER_ERROR
    assert "不能再做初次设置" in capsys.readouterr().err
    bad = _units_file(tmp_path / "坏.xlsx", ("2190-01", "县教育局", "", ""))
    assert main(["--db", path, "units", "import", str(bad)]) == EXIT_USER_ERROR
    assert "第2行“单位编码”列" in capsys.readouterr().err
