"""A workbook missing a column the department fills is refused with one located problem.

QA deleted 实际完成值 from an exported self-evaluation file: the import went through, read
every actual value as blank and wiped the unit's scores. For each import kind: export,
import once so the database holds the department's values, delete one column whose absence
would blank stored data, import again → exactly one problem naming the sheet and column,
and the database file is byte-identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.errors import ValidationFailed
from app.domain.rules import RuleSet
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.services.goals.workbook import export_goals, import_goals
from app.services.library import workbook as library_workbook
from app.services.library.records import load_default_library
from app.services.monitoring import open_round
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.storage.database import Database
from tests import factories

YEAR = 2025
Importer = Callable[[Path], object]


def _fill(path: Path, sheet: str, header: str, value: object) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value is not None:
            ws.cell(row, column).value = value
    book.save(path)


def _delete_column(path: Path, sheet: str, header: str) -> Path:
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.delete_cols(column)
    out = path.with_name(f"缺列-{path.name}")
    book.save(out)
    return out


def _selfeval(db: Database, tmp: Path, rules: RuleSet) -> tuple[Path, Importer]:
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=2)
    path = tmp / "自评.xlsx"
    export_selfeval(db, YEAR, path)
    _fill(path, "项目", "全年执行数(万元)", 1)
    _fill(path, "项目", "实际完成情况", "按计划完成")
    _fill(path, "指标", "实际完成值", "100")
    return path, lambda p: import_selfeval(db, p)


def _goals(db: Database, tmp: Path, rules: RuleSet) -> tuple[Path, Importer]:
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=2)
    path = tmp / "目标.xlsx"
    export_goals(db, path, YEAR)
    return path, lambda p: import_goals(db, p, rules)


def _monitoring(db: Database, tmp: Path, rules: RuleSet) -> tuple[Path, Importer]:
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, YEAR, 6, rules)
    path = tmp / "监控.xlsx"
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    _fill(path, "项目", "执行数（万元）", 5)
    return path, lambda p: import_monitoring_workbook(db, p, rules)


def _library(db: Database, tmp: Path, rules: RuleSet) -> tuple[Path, Importer]:
    load_default_library(db)
    path = tmp / "指标库.xlsx"
    library_workbook.export_library(db, path)
    return path, lambda p: library_workbook.import_library(db, p)


KINDS = {"selfeval": _selfeval, "goals": _goals, "monitoring": _monitoring, "library": _library}
CASES = [
    ("selfeval", "指标", "实际完成值"),
    ("selfeval", "指标", "自评得分"),
    ("selfeval", "项目", "实际完成情况"),
    ("selfeval", "项目", "上年结转执行数(万元)"),
    ("goals", "指标", "分值"),
    ("goals", "指标", "指标值"),
    ("goals", "项目", "财政拨款(万元)"),
    ("goals", "项目", "资金总额(万元)"),
    ("goals", "项目", "年度总体目标"),
    ("monitoring", "指标", "当前完成值"),
    ("monitoring", "项目", "预算偏差原因"),
    ("library", "指标库", "指标解释"),
    ("library", "指标库", "行业"),
]


def _file_bytes(db: Database) -> str:
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = Path(f"{db.path}{suffix}")
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize(("kind", "sheet", "header"), CASES)
def test_a_missing_column_blocks_the_import_with_one_problem(
    db, rules, tmp_path, kind, sheet, header
):
    path, run = KINDS[kind](db, tmp_path, rules)
    run(path)  # the database now holds what the department filled in
    broken = _delete_column(path, sheet, header)
    before = _file_bytes(db)
    with pytest.raises(ValidationFailed) as caught:
        run(broken)
    assert [str(p) for p in caught.value.problems] == [
        f"工作表“{sheet}”第1行：缺少“{header}”列，请使用导出的模板，不要删除或修改表头"
    ]
    assert caught.value.problems[0].blocking
    assert _file_bytes(db) == before
    run(path)  # the intact file still imports
