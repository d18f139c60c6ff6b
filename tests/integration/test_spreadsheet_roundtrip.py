"""What the app writes from a sheet spec it reads back exactly; exports are safe to open."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.spreadsheet import Column, Kind, SheetContent, SheetSpec, read_workbook, write_workbook
from app.spreadsheet.writer import INSTRUCTIONS_SHEET, OPTIONS_SHEET

PROJECTS = SheetSpec(
    "项目",
    [
        Column("年度", "year", Kind.YEAR, required=True, locked=True, width=8),
        Column("项目编码", "code", Kind.CODE, required=True, help="本级财政项目编码"),
        Column("项目名称", "name", required=True, width=30),
        Column("项目属性", "attr", Kind.CHOICE, choices=("新增", "延续")),
        Column("资金总额(万元)", "total", Kind.MONEY_WAN, required=True),
        Column("绩效目标完成率", "rate", Kind.DECIMAL, percent=True, places=2),
        Column("起始年度", "start", Kind.YEAR),
        Column("个数", "count", Kind.INTEGER),
        Column("年度总体目标", "goal", width=50),
    ],
    unique=[("year", "code")],
    description="每个项目一行。",
)
ROWS = [
    {
        "year": 2025,
        "code": "0012",
        "name": "农村公路养护",
        "attr": "新增",
        "total": Decimal("1234567.89"),
        "rate": Decimal("95.50"),
        "start": 2024,
        "count": 12,
        "goal": '=HYPERLINK("http://x","点我")',
    },
    {
        "year": 2025,
        "code": "2080505",
        "name": "+养老补助",
        "attr": "延续",
        "total": Decimal("0.01"),
        "rate": None,
        "start": None,
        "count": None,
        "goal": "-完成\t@所有\n第二行",
    },
    {
        "year": 2025,
        "code": "000",
        "name": "@cmd|' /C calc'!A0",
        "attr": None,
        "total": Decimal("98765432109.99"),
        "rate": Decimal("0.01"),
        "start": 2025,
        "count": 0,
        "goal": None,
    },
]


def write(path: Path, rows=ROWS, **kwargs) -> Path:
    write_workbook(path, [SheetContent(PROJECTS, rows)], **kwargs)
    return path


def test_round_trip_is_exact(tmp_path):
    data = read_workbook(write(tmp_path / "目标.xlsx"), [PROJECTS])
    assert data.problems == []
    assert [row.values for row in data["项目"].rows] == ROWS
    assert [row.row for row in data["项目"].rows] == [2, 3, 4]


def test_a_blank_template_reads_back_empty(tmp_path):
    data = read_workbook(write(tmp_path / "模板.xlsx", rows=[]), [PROJECTS])
    assert data.problems == [] and data["项目"].rows == []


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = write(tmp_path / "目标.xlsx")
    ws = openpyxl.load_workbook(path)["项目"]
    for coordinate in ("I2", "C3", "C4", "I3"):
        cell = ws[coordinate]
        assert cell.data_type == "s", coordinate
        assert cell.value[0] in "=+-@", coordinate
        assert cell.quotePrefix, coordinate
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert re.search(r'<c r="I2"[^>]*t="inlineStr"', xml)


def test_the_template_guides_departments(tmp_path):
    book = openpyxl.load_workbook(write(tmp_path / "目标.xlsx"))
    assert book.sheetnames == ["项目", INSTRUCTIONS_SHEET]
    ws = book["项目"]
    header = ws["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("FCE4D6")  # required: orange
    assert ws["B1"].comment.text.startswith("必填。")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width == 30
    assert ws["E2"].number_format == "0.00" and ws["F2"].number_format == "0.00"
    assert ws["B2"].number_format == "@"
    # protection: the sheet is protected, the app's columns locked, the rest editable
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A2"].protection.locked and ws["A1"].protection.locked
    assert not ws["B2"].protection.locked and not ws["I4"].protection.locked
    assert ws.column_dimensions["B"].protection.locked is False
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"新增,延续"' and str(validation.sqref) == "D2:D1048576"
    texts = [c for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in row if c]
    assert (
        "项目属性" in texts and "从下拉列表选择：新增、延续" in texts and "每个项目一行。" in texts
    )


def test_long_choice_lists_go_to_a_hidden_sheet_that_import_ignores(tmp_path):
    choices = tuple(f"{code} 功能分类科目名称{code}" for code in range(2080501, 2080541))
    spec = SheetSpec("科目", [Column("科目", "subject", Kind.CHOICE, choices=choices)])
    path = tmp_path / "科目.xlsx"
    write_workbook(path, [SheetContent(spec, [{"subject": choices[5]}])], protect=False)
    book = openpyxl.load_workbook(path)
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    (validation,) = book["科目"].data_validations.dataValidation
    assert validation.formula1 == "'下拉选项'!$A$1:$A$40"
    data = read_workbook(path, [spec])
    assert data.problems == [] and data["科目"].rows[0]["subject"] == choices[5]


def test_illegal_control_characters_are_dropped(tmp_path):
    rows = [{**ROWS[0], "name": "道路\x01维修\x0b"}]
    data = read_workbook(write(tmp_path / "目标.xlsx", rows=rows), [PROJECTS])
    assert data["项目"].rows[0]["name"] == "道路维修"


def _old_file(tmp_path: Path) -> tuple[Path, bytes]:
    path = write(tmp_path / "目标.xlsx", rows=ROWS[:1])
    return path, path.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "目标.xlsx")


def test_a_failed_write_leaves_the_old_file_intact(tmp_path):
    path, before = _old_file(tmp_path)
    rows = [ROWS[0], {**ROWS[1], "goal": "长" * 40000}]
    with pytest.raises(UserError, match="第3行“年度总体目标”列"):
        write(path, rows=rows)
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_cancel_while_writing_leaves_the_old_file_intact(tmp_path, monkeypatch):
    from app.spreadsheet import writer

    monkeypatch.setattr(writer, "PROGRESS_EVERY", 1)
    path, before = _old_file(tmp_path)
    streams = set(Path(tempfile.gettempdir()).glob("openpyxl.*"))
    with pytest.raises(Cancelled):
        write(path, progress=Progress(is_cancelled=lambda: True))
    assert path.read_bytes() == before and _leftovers(tmp_path) == []
    assert set(Path(tempfile.gettempdir()).glob("openpyxl.*")) <= streams


def test_a_file_held_open_by_excel(tmp_path, monkeypatch):
    path, before = _old_file(tmp_path)

    def held_open(src, dst):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(UserError) as caught:
        write(path)
    assert "被占用" in caught.value.message and str(path) in caught.value.message
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_a_missing_folder(tmp_path):
    with pytest.raises(UserError, match="不存在"):
        write(tmp_path / "无此目录" / "目标.xlsx")
