"""Tolerant two-phase reading of untidy department workbooks.

Each test builds the kind of file departments really send and checks either the documented
tolerant reading or one located Chinese problem.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import ValidationFailed
from app.domain.progress import Cancelled, Progress
from app.spreadsheet import Column, Kind, SheetSpec, read_workbook
from app.spreadsheet import scan as scan_module

SPEC = SheetSpec(
    "项目",
    [
        Column("年度", "year", Kind.YEAR, required=True),
        Column("项目编码", "code", Kind.CODE, required=True),
        Column("项目名称", "name", required=True),
        Column("项目属性", "attr", Kind.CHOICE, choices=("新增", "延续")),
        Column("资金总额(万元)", "total", Kind.MONEY_WAN),
        Column("完成率", "rate", Kind.DECIMAL, percent=True),
    ],
    unique=[("year", "code")],
)
HEADER = ["年度", "项目编码", "项目名称", "项目属性", "资金总额(万元)", "完成率"]
GOOD = [2025, "0012", "道路维修", "新增", 12.5, 95]


def make(path: Path, rows: list[list], title: str = "项目") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def rewrite_sheet(path: Path, change, member: str = "xl/worksheets/sheet1.xml") -> None:
    """Edit one XML part in place, as files from other tools differ from openpyxl's."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def messages(data) -> list[str]:
    return [str(p) for p in data.problems]


def test_a_clean_sheet_reads_typed_rows(tmp_path):
    data = read_workbook(make(tmp_path / "a.xlsx", [HEADER, GOOD]), [SPEC])
    assert data.problems == []
    row = data["项目"].rows[0]
    assert row.row == 2
    assert row.values == {
        "year": 2025,
        "code": "0012",
        "name": "道路维修",
        "attr": "新增",
        "total": Decimal("125000.00"),
        "rate": Decimal(95),
    }


def test_untidy_values_trailing_spaces_full_width_and_separators(tmp_path):
    header = [" 年度 ", "项目编码\n", "项目名称", "项目属性 ", "资金总额（万元）", "完成率"]
    row = ["２０２５", " 0012 ", "道路维修  ", "延续 ", "1,234.50", "95%"]
    data = read_workbook(make(tmp_path / "a.xlsx", [header, row]), [SPEC])
    assert data.problems == []
    assert data["项目"].rows[0].values == {
        "year": 2025,
        "code": "0012",
        "name": "道路维修",
        "attr": "延续",
        "total": Decimal("12345000.00"),
        "rate": Decimal(95),
    }


def test_every_problem_is_collected_and_located(tmp_path):
    rows = [HEADER, GOOD, [2025, "0013", "", "新建", "abc", "1,23"], [2025, "0012", "重复"]]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert messages(data) == [
        "工作表“项目”第3行“项目名称”列：必填，不能为空",
        "工作表“项目”第3行“项目属性”列：“新建”不在可选范围内（新增、延续）",
        "工作表“项目”第3行“资金总额(万元)”列：“abc”不是数字",
        "工作表“项目”第3行“完成率”列：“1,23”中的逗号不是千位分隔符，无法识别为数字",
        "工作表“项目”第4行“年度”列：年度、项目编码与第2行重复",
    ]
    with pytest.raises(ValidationFailed) as caught:
        data.raise_if_blocking()
    assert "a.xlsx" in caught.value.message and len(caught.value.problems) == 5


def test_blank_rows_in_the_middle_are_skipped_keeping_excel_row_numbers(tmp_path):
    rows = [HEADER, GOOD, [], [None, "  ", None], [2025, "0013", "桥梁"]]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert data.problems == []
    assert [r.row for r in data["项目"].rows] == [2, 5]


def test_missing_required_column_gives_one_problem(tmp_path):
    header = [h for h in HEADER if h != "项目名称"]
    rows = [header] + [[2025, f"00{i}", "新增", 1, 1] for i in range(10, 20)]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert messages(data) == [
        "工作表“项目”第1行：缺少“项目名称”列，请使用导出的模板，不要删除或修改表头"
    ]
    assert data["项目"].rows[0].values["name"] is None
    assert "name" in data["项目"].absent


def test_header_required_column_must_exist_but_cells_may_be_blank(tmp_path):
    spec = SheetSpec(
        "项目",
        [
            Column("项目编码", "code", Kind.CODE, required=True),
            Column("实际完成值", "actual", header_required=True),
        ],
    )
    blank_cells = read_workbook(
        make(tmp_path / "a.xlsx", [["项目编码", "实际完成值"], ["1", None]]), [spec]
    )
    assert blank_cells.problems == [] and blank_cells["项目"].rows[0]["actual"] is None
    missing = read_workbook(make(tmp_path / "b.xlsx", [["项目编码"], ["1"]]), [spec])
    assert messages(missing) == [
        "工作表“项目”第1行：缺少“实际完成值”列，请使用导出的模板，不要删除或修改表头"
    ]
    assert missing.has_blocking


def test_unknown_extra_columns_and_absent_optional_columns(tmp_path):
    rows = [["备注", "年度", "项目编码", "项目名称"], ["随便写", 2025, "0012", "道路"]]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert data.problems == []
    values = data["项目"].rows[0].values
    assert values["code"] == "0012" and values["total"] is None and "备注" not in values


def test_header_found_below_title_lines(tmp_path):
    rows = [["2025年项目支出绩效目标申报表"], ["单位：万元"], HEADER, GOOD]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert data.problems == [] and data["项目"].header_row == 3
    assert data["项目"].rows[0].row == 4


def test_a_header_twice_is_blocking(tmp_path):
    data = read_workbook(make(tmp_path / "a.xlsx", [[*HEADER, "项目编码"], GOOD]), [SPEC])
    assert messages(data) == [
        "工作表“项目”第1行“项目编码”列：表头出现在多列（B、G），请删除多余的列"
    ]


def test_missing_sheet_and_no_header(tmp_path):
    other = SheetSpec("指标", [Column("项目编码", "code", required=True)])
    data = read_workbook(make(tmp_path / "a.xlsx", [["x"], [1]]), [SPEC, other])
    assert messages(data) == [
        "工作表“项目”第1行：找不到表头（应包含：年度、项目编码、项目名称），请使用导出的模板",
        "工作表“指标”：缺少工作表“指标”",
    ]


def test_sheet_name_matched_after_trimming_and_width_folding(tmp_path):
    data = read_workbook(make(tmp_path / "a.xlsx", [HEADER, GOOD], title=" 项目 "), [SPEC])
    assert data.problems == [] and len(data["项目"].rows) == 1


def test_dates_in_number_columns_are_located(tmp_path):
    rows = [HEADER, [2025, "0012", "道路", "新增", dt.datetime(2025, 3, 1), 95]]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert messages(data) == [
        "工作表“项目”第2行“资金总额(万元)”列：单元格是日期/时间，但该列应填金额（万元）；"
        "请把单元格格式改为“常规”后重新填写"
    ]


def test_percent_formatted_number_reads_as_percent_points(tmp_path):
    path = make(tmp_path / "a.xlsx", [HEADER, [*GOOD[:5], 0.955]])
    book = openpyxl.load_workbook(path)
    book.active["F2"].number_format = "0.0%"
    book.active["E2"].number_format = '0.00"%"'  # a literal % sign is not a percentage
    book.save(path)
    row = read_workbook(path, [SPEC])["项目"].rows[0]
    assert row["rate"] == Decimal("95.5") and row["total"] == Decimal("125000.00")


def test_formulas_use_cached_values_and_flag_missing_ones(tmp_path):
    rows = [HEADER, [*GOOD[:4], "=10+2.5", 95], [2025, "0013", "桥", "新增", "=1+1", 90]]
    path = make(tmp_path / "a.xlsx", rows)
    # Excel saves the result next to the formula; openpyxl never calculates, so add it.
    rewrite_sheet(
        path,
        lambda xml: re.sub(
            r"(<f>10\+2\.5</f>)<v\s*/>|(<f>10\+2\.5</f>)<v></v>", r"\1\2<v>12.5</v>", xml
        ),
    )
    data = read_workbook(path, [SPEC])
    assert data["项目"].rows[0]["total"] == Decimal("125000.00")
    assert messages(data) == [
        "工作表“项目”第3行“资金总额(万元)”列："
        "单元格含公式但没有计算结果，请在 Excel 中打开并保存后再导入"
    ]


def test_formula_with_empty_text_result_is_blank_and_errors_are_located(tmp_path):
    path = make(tmp_path / "a.xlsx", [HEADER, [*GOOD[:5], "=1/0"], [*GOOD[:1], "0013", "桥"]])

    def change(xml: str) -> str:
        xml = re.sub(
            r"<c r=\"F2\"([^>]*)><f>1/0</f><v\s*/?>(</v>)?</c>",
            r'<c r="F2" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
            xml,
        )
        return xml.replace('<c r="D3"', '<c r="D3" t="str"><f>IF(1,"","x")</f><v></v></c><c r="Z3"')

    rewrite_sheet(path, change)
    data = read_workbook(path, [SPEC])
    assert messages(data) == [
        "工作表“项目”第2行“完成率”列：单元格是错误值 #DIV/0!，请改正公式或填写数值"
    ]
    assert data["项目"].rows[1]["attr"] is None


def test_merged_header_and_merged_data_cells(tmp_path):
    spec = SheetSpec(
        "指标",
        [
            Column("一级指标", "level1", required=True, fill_merged=True),
            Column("三级指标", "name", required=True),
            Column("分值", "points", Kind.DECIMAL),
        ],
        header_row=2,
    )
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "指标"
    for row in [
        ["一级指标", "指标明细", None],
        [None, "三级指标", "分值"],
        ["产出指标", "道路长度", 10],
        [None, "合格率", 10],
        [None, "及时率", 10],
        ["效益指标", "通行时间", 20],
        [None, "群众满意度", None],
    ]:
        ws.append(row)
    ws.merge_cells("A1:A2")  # vertical header: text sits in row 1
    ws.merge_cells("B1:C1")  # a group header above the real ones
    ws.merge_cells("A3:A5")  # 一级 grouping → every row gets it
    ws.merge_cells("A6:A7")
    ws.merge_cells("C6:C7")  # a merged number → first row only, with a warning
    book.save(path)
    data = read_workbook(path, [spec])
    rows = data["指标"].rows
    assert [r["level1"] for r in rows] == ["产出指标"] * 3 + ["效益指标"] * 2
    assert [r["points"] for r in rows] == [10, 10, 10, 20, None]
    assert [(p.message, p.blocking) for p in data.problems] == [
        ("合并单元格 C6:C7 的内容只计入第6行，其余行按空白处理", False)
    ]


def test_hidden_sheets_are_ignored_unless_expected(tmp_path):
    path = make(tmp_path / "a.xlsx", [HEADER, GOOD])
    book = openpyxl.load_workbook(path)
    junk = book.create_sheet("旧数据")
    junk.append(["乱七八糟", "=1/0"])
    junk.sheet_state = "hidden"
    book.create_sheet("封面").append(["请看隐藏的表"])
    book["项目"].sheet_state = "hidden"
    book.active = 2
    book.save(path)
    data = read_workbook(path, [SPEC])
    assert len(data["项目"].rows) == 1
    assert [(p.message, p.blocking) for p in data.problems] == [
        ("该工作表是隐藏的，仍按导入要求读取", False)
    ]
    assert not data.has_blocking


def test_a_too_small_dimension_does_not_cut_rows_off(tmp_path):
    path = make(tmp_path / "a.xlsx", [HEADER, GOOD, [2025, "0013", "桥"], [2025, "0014", "路"]])
    rewrite_sheet(
        path, lambda xml: re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1"/>', xml)
    )
    assert [r["code"] for r in read_workbook(path, [SPEC])["项目"].rows] == ["0012", "0013", "0014"]


def test_progress_is_reported_and_cancel_stops(tmp_path, monkeypatch):
    monkeypatch.setattr(scan_module, "PROGRESS_EVERY", 2)
    path = make(tmp_path / "a.xlsx", [HEADER] + [[2025, f"{i:04}", "x"] for i in range(10)])
    seen = []
    read_workbook(path, [SPEC], Progress(report=lambda d, t, m: seen.append((d, t))))
    assert seen[0] == (2, 11) and seen[-1] == (11, 11)
    with pytest.raises(Cancelled):
        read_workbook(path, [SPEC], Progress(is_cancelled=lambda: True))


def test_problems_are_capped_per_sheet(tmp_path, monkeypatch):
    from app.spreadsheet import reader

    monkeypatch.setattr(reader, "MAX_PROBLEMS_PER_SHEET", 3)
    rows = [HEADER] + [[2025, f"{i:04}", ""] for i in range(6)]
    data = read_workbook(make(tmp_path / "a.xlsx", rows), [SPEC])
    assert len(data.problems) == 4
    assert data.problems[-1].message == "另有 3 个问题未列出，请先改正以上问题"


def test_inline_rich_text_reads_as_plain_text_without_phonetics(tmp_path):
    path = make(tmp_path / "a.xlsx", [HEADER, GOOD])
    rich = (
        '<c r="C2" t="inlineStr"><is><r><t>道路</t></r><r><rPr><b/></rPr><t xml:space="preserve">'
        '维修 </t></r><rPh sb="0" eb="1"><t>ドウロ</t></rPh></is></c>'
    )
    rewrite_sheet(path, lambda xml: re.sub(r'<c r="C2"[^>]*>.*?</c>', rich, xml, count=1))
    assert read_workbook(path, [SPEC])["项目"].rows[0]["name"] == "道路维修"


def test_cells_written_by_other_tools_are_placed_and_read_alike(tmp_path):
    """Lower-case or missing cell references and bare inline strings, as some tools write."""
    path = make(tmp_path / "a.xlsx", [HEADER, GOOD, GOOD])

    def change(xml: str) -> str:
        xml = xml.replace('r="C2"', 'r="c2"')
        xml = re.sub(r'<c r="B3"[^>]*>.*?</c>', '<c t="inlineStr"><is><t>0013</t></is></c>', xml)
        xml = re.sub(r'<c r="C3"[^>]*>.*?</c>', '<c t="inlineStr"><is><t/></is></c>', xml)
        return xml.replace('<c r="D3"', '<c r="AB3" t="inlineStr"><is><t>x</t></is></c><c r="D3"')

    rewrite_sheet(path, change)
    data = read_workbook(path, [SPEC])["项目"]
    assert [r["code"] for r in data.rows] == ["0012", "0013"]
    assert [r["name"] for r in data.rows] == ["道路维修", None]
    assert [str(p) for p in data.problems] == ["工作表“项目”第3行“项目名称”列：必填，不能为空"]
