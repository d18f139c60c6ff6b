"""Absurd numbers in a workbook are located problems, never a crash or a "damaged file".

QA: 调整后预算 = 99999999999999999999 in a monitoring workbook gave "程序内部错误" (an
OverflowError converting to a SQLite INTEGER); ±1e308, NaN or INF in a number cell gave
"文件已损坏…请另存为 .xlsx" with no sheet, row or column. NaN and INF cannot be written
through openpyxl, so the cell's XML is patched the way another tool would have written it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.errors import ValidationFailed
from app.services.goals.workbook import export_goals, import_goals
from app.services.monitoring import open_round
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from tests import factories
from tests.integration.test_import_defects_columns import _file_bytes

YEAR = 2025
SENTINEL = 4242.4242  # a number the XML patch can find


def _set(path: Path, sheet: str, header: str, value: object) -> tuple[Path, int]:
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.cell(2, column).value = value
    out = path.with_name(f"改-{path.name}")
    book.save(out)
    return out, 2


def _patched(path: Path, raw: str) -> Path:
    """The file with the sentinel's cached value replaced by `raw` (NaN, INF…)."""
    out = path.with_name(f"补-{path.name}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{SENTINEL}</v>".encode(), f"<v>{raw}</v>".encode())
            dst.writestr(item, data)
    return out


@pytest.fixture
def monitoring_file(db, rules, tmp_path) -> Path:
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, YEAR, 6, rules)
    path = tmp_path / "监控.xlsx"
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    return path


VALUES = [99999999999999999999, 1e308, -1e308, "1e308", "99999999999999999999"]
RAW = ["NaN", "INF", "-INF", "1e400"]
BUDGET = "调整后预算（万元）"


def _refused_at(db, run, path: Path, header: str, row: int) -> str:
    before = _file_bytes(db)
    with pytest.raises(ValidationFailed) as caught:
        run(path)
    problems = [p for p in caught.value.problems if p.blocking]
    assert [(p.row, p.column) for p in problems] == [(row, header)], problems
    assert _file_bytes(db) == before
    return problems[0].message


@pytest.mark.parametrize("value", VALUES, ids=str)
def test_a_huge_budget_is_a_located_problem(db, rules, monitoring_file, value):
    path, row = _set(monitoring_file, "项目", BUDGET, value)
    message = _refused_at(db, lambda p: import_monitoring_workbook(db, p, rules), path, BUDGET, row)
    assert "超出合理范围" in message


@pytest.mark.parametrize("raw", RAW)
def test_nan_or_infinity_in_a_number_cell_is_a_located_problem(db, rules, monitoring_file, raw):
    path, row = _set(monitoring_file, "项目", BUDGET, SENTINEL)
    patched = _patched(path, raw)
    run = lambda p: import_monitoring_workbook(db, p, rules)  # noqa: E731
    message = _refused_at(db, run, patched, BUDGET, row)
    assert "NaN 或无穷大" in message


@pytest.mark.parametrize(("header", "value"), [("资金总额(万元)", 1e20), ("分值", 1e308)])
def test_goals_workbook_numbers_are_bounded_too(db, rules, tmp_path, header, value):
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=1)
    path = tmp_path / "目标.xlsx"
    export_goals(db, path, YEAR)
    sheet = "项目" if header.startswith("资金") else "指标"
    changed, row = _set(path, sheet, header, value)
    before = _file_bytes(db)
    with pytest.raises(ValidationFailed) as caught:
        import_goals(db, changed, rules)
    assert any(
        p.sheet == sheet and p.row == row and p.column == header and "超出合理范围" in p.message
        for p in caught.value.problems
    ), caught.value.problems
    assert _file_bytes(db) == before
