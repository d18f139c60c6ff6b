"""Goals import: one mistake gives one problem, and amounts speak 万元 like the sheet.

QA typed 八万八 into 资金总额(万元) and got the located error plus "合计 88,600.00 元，不等于
资金总额 0.00 元" (the bad cell read as 0, the message in 元); a renamed header gave one
problem per project on top of the missing column.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import ValidationFailed
from app.services.goals.workbook import export_goals, import_goals
from app.spreadsheet import goals_sheets as gs
from app.storage.database import Database
from tests.integration.goals_workbook_data import YEAR, checksum, goals_county


@pytest.fixture
def county(db: Database) -> Database:
    with db.transaction() as s:
        goals_county(s)
    return db


def _exported(db: Database, tmp_path: Path) -> Path:
    path = tmp_path / "目标.xlsx"
    export_goals(db, path, YEAR)
    return path


def _set(path: Path, sheet: str, row: int, header: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row, column).value = value
    book.save(path)


def _blocking(caught: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [str(p) for p in caught.value.problems if p.blocking]


def test_a_bad_number_in_the_total_gives_exactly_one_problem(county, tmp_path, rules):
    path = _exported(county, tmp_path)
    _set(path, gs.PROJECTS_SHEET, 2, "资金总额(万元)", "八万八")
    before = checksum(county)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    assert _blocking(caught) == ["工作表“项目”第2行“资金总额(万元)”列：“八万八”不是数字"]
    assert [p for p in caught.value.problems if p.row == 2] == caught.value.problems[:1]
    assert checksum(county) == before


def test_a_bad_number_in_a_split_hides_the_sum_check_of_that_row_only(county, tmp_path, rules):
    path = _exported(county, tmp_path)
    _set(path, gs.PROJECTS_SHEET, 2, "财政拨款(万元)", "一百")
    _set(path, gs.PROJECTS_SHEET, 3, "财政拨款(万元)", 1)  # a real mismatch elsewhere
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    problems = [(p.row, p.column) for p in caught.value.problems if p.blocking]
    assert problems == [(2, "财政拨款(万元)"), (3, "资金总额(万元)")]


def test_the_sum_check_speaks_wan_like_the_sheet(county, tmp_path, rules):
    path = _exported(county, tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book[gs.PROJECTS_SHEET]
    columns = {c.value: c.column for c in ws[1]}
    total = ws.cell(2, columns["资金总额(万元)"]).value
    other = ws.cell(2, columns["其他资金(万元)"]).value or 0
    assert str(total) == "123.457789"
    book.close()
    _set(path, gs.PROJECTS_SHEET, 2, "财政拨款(万元)", 8.86 - other)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    assert _blocking(caught) == [
        f"工作表“项目”第2行“资金总额(万元)”列：财政拨款与其他资金合计 8.86 万元，"
        f"不等于资金总额 {total} 万元"  # every decimal the cell holds, to see the gap
    ]


def test_a_renamed_header_gives_one_problem_and_nothing_derived_from_it(county, tmp_path, rules):
    path = _exported(county, tmp_path)
    _set(path, gs.PROJECTS_SHEET, 1, "资金总额(万元)", "资金总计")
    before = checksum(county)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    assert [str(p) for p in caught.value.problems] == [
        "工作表“项目”第1行：缺少“资金总额(万元)”列，请使用导出的模板，不要删除或修改表头"
    ]
    assert checksum(county) == before


def test_a_bad_points_cell_does_not_add_a_points_total_problem(county, tmp_path, rules):
    path = _exported(county, tmp_path)
    _set(path, gs.INDICATORS_SHEET, 2, "分值", "十分")
    with pytest.raises(ValidationFailed) as caught:
        import_goals(county, path, rules)
    assert _blocking(caught) == ["工作表“指标”第2行“分值”列：分值“十分”不是数字"]
