"""A goals workbook never changes a stored value for a reason the user did not state.

QA: deleting the optional column 长期目标 (or 资金级次, 标准来源) reset the stored values of
every draft goal in the file ("修改 1 个", no warning); an emptied 指标 sheet deleted every
indicator of the drafts with only review hints. Now a missing or renamed optional column
keeps what is stored and says so; an explicit blanking or deletion is listed by project
and written only once allowed; very many of them block the import with the counts.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.errors import DeletionsNotConfirmed, ValidationFailed
from app.main import main
from app.services.goals.workbook import check_goals_workbook, import_goals
from app.spreadsheet import goals_sheets as gs
from app.storage.models import Goal
from tests.integration.goals_workbook_data import checksum, goals_county, stored_goals
from tests.integration.test_goals_workbook import edit, exported, row_of

CODE = "2190012025001"  # 已退回, 长期目标 "三年内全面完成。"
OPTIONAL = [
    (gs.PROJECTS_SHEET, "长期目标"),
    (gs.PROJECTS_SHEET, "资金级次"),
    (gs.INDICATORS_SHEET, "标准来源"),
    (gs.DEPARTMENT_GOALS_SHEET, "长期目标"),
]


@pytest.fixture
def county(db):
    with db.transaction() as s:
        goals_county(s)
    with db.transaction() as s:  # the department-wide goal gets a long-term target too
        for goal in s.scalars(select(Goal).where(Goal.project_id.is_(None))):
            goal.long_term_target = "三年内建成教育强县。"
    return db


def _without(path: Path, sheet: str, header: str, how: str) -> Path:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    if how == "deleted":
        ws.delete_cols(column)
    else:
        ws.cell(1, column).value = header + "X"
    book.save(path)
    return path


@pytest.mark.parametrize("how", ["deleted", "renamed"])
@pytest.mark.parametrize(("sheet", "header"), OPTIONAL)
def test_a_missing_optional_column_keeps_the_stored_values(
    county, tmp_path, rules, sheet, header, how
):
    path = exported(county, tmp_path)
    first = row_of(path, gs.INDICATORS_SHEET, "项目编码", CODE)
    edit(path, gs.INDICATORS_SHEET, {(first, "指标值"): "1300"})  # one real change
    _without(path, sheet, header, how)
    before = stored_goals(county)
    result = import_goals(county, path, rules)
    assert [o.code for o in result.changed] == [CODE]
    after = stored_goals(county)
    assert {k: v for k, v in after.items() if k != CODE} == {
        k: v for k, v in before.items() if k != CODE
    }
    (header_before, goal_before), (header_after, goal_after) = before[CODE], after[CODE]
    assert header_after == header_before and goal_after[:3] == goal_before[:3]
    assert [row[9] for row in goal_after[3]] == [row[9] for row in goal_before[3]]  # 标准来源
    notes = [str(w) for w in result.warnings if f"没有“{header}”列" in w.message]
    assert notes == [
        f"工作表“{sheet}”第1行：文件中没有“{header}”列，系统中已保存的{header}保持不变"
    ]
    assert not result.losses


def test_a_blanked_cell_is_listed_and_written_only_when_allowed(county, tmp_path, rules):
    path = exported(county, tmp_path)
    edit(
        path,
        gs.PROJECTS_SHEET,
        {(row_of(path, gs.PROJECTS_SHEET, "项目编码", CODE), "长期目标"): None},
    )
    before = checksum(county)
    dry = check_goals_workbook(county, path, rules)
    assert dry.losses == (
        f"项目 {CODE}（县教育局项目1）：清空“长期目标”（原为“三年内全面完成。”）",
    )
    with pytest.raises(DeletionsNotConfirmed) as refused:
        import_goals(county, path, rules)
    assert refused.value.losses == dry.losses
    assert checksum(county) == before
    result = import_goals(county, path, rules, allow_deletions=True)
    assert result.losses == dry.losses and "删除或清空已保存的数据 1 处" in result.describe()
    assert stored_goals(county)[CODE][1][1] == ""


def test_an_emptied_indicator_sheet_is_a_blocking_problem_with_the_counts(county, tmp_path, rules):
    path = exported(county, tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book[gs.INDICATORS_SHEET]
    ws.delete_rows(2, ws.max_row)
    book.save(path)
    before = checksum(county)
    with pytest.raises(ValidationFailed) as refused:
        import_goals(county, path, rules, allow_deletions=True)
    (problem,) = [p for p in refused.value.problems if "导入将删除" in p.message]
    assert problem.blocking and problem.sheet == gs.INDICATORS_SHEET
    assert "8 个项目的 56 个已保存指标" in problem.message
    assert checksum(county) == before


def test_a_column_blanked_for_many_projects_is_blocking(county, tmp_path, rules):
    path = exported(county, tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book[gs.PROJECTS_SHEET]
    column = next(c.column for c in ws[1] if c.value == "功能分类科目")
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = None
    book.save(path)
    with pytest.raises(ValidationFailed) as refused:
        import_goals(county, path, rules, allow_deletions=True)
    (problem,) = [p for p in refused.value.problems if "导入将清空" in p.message]
    assert problem.message.startswith("导入将清空 8 个项目共 8 处已保存的“功能分类科目”")
    assert (problem.sheet, problem.column) == (gs.PROJECTS_SHEET, "功能分类科目")


def test_the_cli_refuses_deletions_unless_allowed(county, tmp_path, capsys):
    path = exported(county, tmp_path)
    first = row_of(path, gs.INDICATORS_SHEET, "项目编码", CODE)
    book = openpyxl.load_workbook(path)
    book[gs.INDICATORS_SHEET].delete_rows(first)
    book.save(path)
    county.close()
    argv = ["--db", str(county.target), "import", "goals", str(path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"项目 {CODE}（县教育局项目1）：删除指标" in err and "--allow-deletions" in err
    assert main([*argv, "--allow-deletions"]) == 0
    assert f"已删除或清空 项目 {CODE}" in capsys.readouterr().out
