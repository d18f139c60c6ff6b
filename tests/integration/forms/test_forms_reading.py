"""The form recogniser on generated .xlsx, committed .xls and generated .docx files."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.spreadsheet.forms import FormKind, read_forms, recognise
from app.spreadsheet.forms.grid import build_grid
from tests.fixtures_forms import Form, write_docx, write_xlsx

DATA = Path(__file__).parent / "data"


def test_xlsx_several_tables_offsets_and_sheets(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "教育局.xlsx",
        [
            [Form(), Form(kind="project_goal", project="营养改善计划")],
            [Form(kind="department_self")],
        ],
        row0=3,
        col0=2,
    )
    tables = read_forms(str(path))
    assert [t.kind for t in tables] == [
        FormKind.PROJECT_SELF, FormKind.PROJECT_GOAL, FormKind.DEPARTMENT_SELF,
    ]  # fmt: skip
    first = tables[0]
    assert first.year == 2022 and first.year_read == "(2022年度)"
    assert first.get("project_name").text == "家庭经济困难学生资助"
    assert first.get("project_name").where.describe() == "“教育局.xlsx”工作表“Sheet1”第6行D列"
    assert first.get("unit").text == "上犹县教育局"
    assert first.get("claimed_total").text == "99.5"
    assert first.get("grade").text == "优"
    assert first.get("actual_outcome").text.startswith("全年资助学生735人次")
    assert {k: v.text for k, v in first.money.items() if k in ("budget", "spent", "score")} == {
        "budget": "100", "spent": "95", "score": "9.5",
    }  # fmt: skip
    poor = first.indicators[4]
    assert (poor.level1.text, poor.level2.text, poor.name.text) == (
        "效益指标", "社会效益指标", "减轻贫困学生家庭经济负担",
    )  # fmt: skip
    assert (poor.target.text, poor.actual.text, poor.points.text) == ("有效", "有效", "30")
    # 一级 merged over four rows reads on every row; the 其他需要说明事项 row is not an indicator.
    assert [i.level1.text for i in first.indicators[:4]] == ["产出指标"] * 4
    assert len(first.indicators) == 6
    assert tables[1].get("project_name").text == "营养改善计划"
    assert tables[1].money["total"].text == "100"
    assert tables[1].indicators[0].actual.text == ""


def test_docx_tables_with_merged_rows(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "a.docx", [Form(), Form(kind="department_goal", unit="上犹县财政局")]
    )
    self_eval, goal = read_forms(str(path))
    assert self_eval.source == "docx" and self_eval.part == "第1个表格"
    assert self_eval.indicators[1].target.text == "=1000元/人"
    assert [i.level2.text for i in self_eval.indicators[:2]] == ["数量指标", "数量指标"]
    assert goal.kind is FormKind.DEPARTMENT_GOAL
    assert goal.get("department").text == "上犹县财政局"
    assert goal.get("department").where.describe() == "“a.docx”第2个表格第3行第2列"


def test_committed_xls_from_the_provincial_system() -> None:
    first, second = read_forms(str(DATA / "yunnan_selfeval.xls"))
    assert first.source == "xls" and first.money_unit == "元"
    assert first.money["spent"].text == "950000"
    assert second.get("project_name").text == "农村义务教育学生营养改善计划"
    assert second.money["budget"].text == "2,000,000"
    assert [i.actual.text for i in first.indicators][3:5] == ["９６%", "有效"]
    (goal,) = read_forms(str(DATA / "department_goal.xls"))
    assert goal.kind is FormKind.DEPARTMENT_GOAL and len(goal.indicators) == 6


def test_spacer_rows_spaced_labels_and_given_year() -> None:
    texts = [
        ["项目支出绩效自评表", "", "", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        ["项目名称：", "修缮校舍", "", "", "", "", ""],
        ["主 管 部 门", "县教育局", "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "修缮面积", "≥500㎡", "520㎡", "50", "50"],
        ["", "", "", "", "", "", ""],
        ["产出指标", "质量指标", "验收合格率", "100%", "100%", "40", "40"],
        ["总  分", "", "", "", "", "100", "90"],
    ]
    grid = build_grid("x.xlsx", "工作表“表1”", "xlsx", texts, {(8, 1): (8, 0)})
    (table,) = recognise(grid, year=2023)
    assert table.year == 2023 and table.year_read == ""
    assert table.get("project_name").text == "修缮校舍"
    assert table.get("department").text == "县教育局"
    assert [i.name.text for i in table.indicators] == ["修缮面积", "验收合格率"]
    assert table.get("claimed_total").text == "90"


def test_a_sheet_without_a_form_gives_nothing() -> None:
    grid = build_grid("x.xlsx", "工作表“说明”", "xlsx", [["填表说明"], ["请按表样填写"]], {})
    assert recognise(grid) == []


@pytest.mark.parametrize("title", ["项目支出绩效自评表", "项 目 支 出 绩 效 自 评 表（2021年度）"])
def test_title_with_spaces(title: str) -> None:
    texts = [[title], ["一级指标", "二级指标", "三级指标", "实际完成值"]]
    (table,) = recognise(build_grid("x.xls", "表", "xls", texts, {}))
    assert table.kind is FormKind.PROJECT_SELF
