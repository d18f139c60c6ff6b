"""Fuzz: a valid goals workbook mutated hundreds of ways never crashes the import.

Each case applies 1-3 seeded mutations (columns deleted or shuffled, cells blanked, garbled,
of the wrong type, huge, dates in number columns, duplicated codes, unknown departments,
extra, hidden, renamed or missing sheets, merged cells, formulas without results...) and
checks: only UserError/ValidationFailed escape, every problem names its sheet (and its row
or column unless it is about a whole sheet), and a rejected file leaves the database as it
was. A failing case prints its seed; rerun it with FUZZ_SEED=<seed>.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import string
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.errors import UserError, ValidationFailed
from app.services.goals.workbook import export_goals, import_goals
from app.spreadsheet import goals_sheets as gs
from tests.integration.goals_workbook_data import YEAR, checksum, goals_county

SHEET_LEVEL = ("缺少工作表", "隐藏", "另有", "没有可导入", "找不到表头")
GARBAGE = string.ascii_letters + string.digits + "，。！“”≥≤<>=%-+@ 　\t中文指标项目0１２"


def _sheet(book: openpyxl.Workbook, rng: random.Random, *wanted: str) -> Worksheet:
    """One of the wanted (default: the workbook's) sheets still there, else any sheet."""
    wanted = wanted or tuple(s.name for s in gs.GOALS_WORKBOOK)
    names = [n for n in book.sheetnames if n in wanted] or book.sheetnames
    return book[rng.choice(names)]


def _cell(ws: Worksheet, rng: random.Random, header_too: bool = False):
    first = 1 if header_too else 2
    row = rng.randint(first, max(ws.max_row, first))
    return ws.cell(row, rng.randint(1, max(ws.max_column, 1)))


def _put(cell, value) -> None:
    """Write a cell unless an earlier mutation merged it away (read-only in openpyxl)."""
    if not isinstance(cell, MergedCell):
        cell.value = value


def delete_column(book, rng):
    ws = _sheet(book, rng)
    ws.delete_cols(rng.randint(1, max(ws.max_column, 1)))


def shuffle_columns(book, rng):
    ws = _sheet(book, rng)
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    order = list(range(ws.max_column))
    rng.shuffle(order)
    for r, values in enumerate(rows, 1):
        for c, src in enumerate(order, 1):
            _put(ws.cell(r, c), values[src] if src < len(values) else None)


def blank_cell(book, rng):
    _put(_cell(_sheet(book, rng), rng, header_too=rng.random() < 0.2), None)


def garble_cell(book, rng):
    text = "".join(rng.choice(GARBAGE) for _ in range(rng.randint(1, 12)))
    _put(_cell(_sheet(book, rng), rng, header_too=rng.random() < 0.1), text)


def wrong_type(book, rng):
    value = rng.choice([True, False, -12.5, 1e20, 0, "12,34,5", "１２３．４", "1e5", "NaN", "∞"])
    _put(_cell(_sheet(book, rng), rng), value)


def huge_string(book, rng):
    _put(_cell(_sheet(book, rng), rng), "长" * rng.choice([201, 5000, 32000]))


def date_in_cell(book, rng):
    _put(_cell(_sheet(book, rng), rng), dt.datetime(2025, rng.randint(1, 12), 1))


def formula(book, rng):
    _put(_cell(_sheet(book, rng), rng), rng.choice(["=1+1", "=A2&B2", "=#REF!", '=IF(1,"","x")']))


def duplicate_code(book, rng):
    ws = _sheet(book, rng, gs.PROJECTS_SHEET, gs.UNITS_SHEET)
    if ws.max_row >= 3:
        column = 3 if ws.title == gs.PROJECTS_SHEET else 1
        a, b = rng.sample(range(2, ws.max_row + 1), 2)
        _put(ws.cell(b, column), ws.cell(a, column).value)


def unknown_department(book, rng):
    ws = _sheet(book, rng, gs.PROJECTS_SHEET, gs.DEPARTMENT_GOALS_SHEET, gs.UNITS_SHEET)
    column = 1 if ws.title == gs.UNITS_SHEET else 2
    if ws.max_row >= 2:
        _put(ws.cell(rng.randint(2, ws.max_row), column), str(rng.randint(100000, 999999)))


def extra_sheet(book, rng):
    ws = book.create_sheet(rng.choice(["Sheet1", "项目 (2)", "备注", "指标库"]))
    ws.append(["项目编码", "一级指标", "随便"])
    ws.append(["X", "产出指标", 1])


def hide_or_rename_or_drop_sheet(book, rng):
    ws = _sheet(book, rng)
    action = rng.choice(["hide", "rename", "drop", "spaces"])
    if action == "hide":
        ws.sheet_state = "hidden"
    elif action == "rename":
        ws.title = ws.title + "表"
    elif action == "spaces":
        ws.title = f" {ws.title} "
    elif len(book.sheetnames) > 1:
        book.remove(ws)


def merge_cells(book, rng):
    ws = _sheet(book, rng)
    if ws.max_row >= 3 and ws.max_column >= 2:
        top = rng.randint(1, ws.max_row - 1)
        col = rng.randint(1, ws.max_column - 1)
        ws.merge_cells(
            start_row=top,
            start_column=col,
            end_row=top + rng.randint(0, 2),
            end_column=col + rng.randint(0, 1),
        )


def blank_rows(book, rng):
    ws = _sheet(book, rng)
    ws.insert_rows(rng.randint(2, max(ws.max_row, 2)), rng.randint(1, 3))


def delete_rows(book, rng):
    ws = _sheet(book, rng)
    if ws.max_row >= 2:
        ws.delete_rows(rng.randint(1, ws.max_row), rng.randint(1, 4))


def move_header_down(book, rng):
    _sheet(book, rng).insert_rows(1, rng.randint(1, 12))


MUTATIONS: list[Callable[[openpyxl.Workbook, random.Random], None]] = [
    delete_column, shuffle_columns, blank_cell, garble_cell, wrong_type, huge_string,
    date_in_cell, formula, duplicate_code, unknown_department, extra_sheet,
    hide_or_rename_or_drop_sheet, merge_cells, blank_rows, delete_rows, move_header_down,
]  # fmt: skip


def _check_case(db, rules, source: Path, target: Path, seed: int) -> str:
    rng = random.Random(seed)
    book = openpyxl.load_workbook(source)
    applied = [rng.choice(MUTATIONS) for _ in range(rng.randint(1, 3))]
    for mutation in applied:
        mutation(book, rng)
    book.save(target)
    before = checksum(db)
    names = ", ".join(m.__name__ for m in applied)
    try:
        import_goals(db, target, rules, backup=False)
    except ValidationFailed as exc:
        assert exc.problems, (seed, names)
        for p in exc.problems:
            assert p.sheet, (seed, names, str(p))
            located = p.row is not None or p.column or any(k in p.message for k in SHEET_LEVEL)
            assert located, (seed, names, str(p))
        assert checksum(db) == before, (seed, names)
        return "rejected"
    except UserError as exc:
        assert exc.message, (seed, names)
        assert checksum(db) == before, (seed, names)
        return "refused"
    return "imported"


def _run(db, rules, tmp_path: Path, seeds: range) -> dict[str, int]:
    with db.transaction() as s:
        goals_county(s)
    source = tmp_path / "valid.xlsx"
    export_goals(db, source, YEAR)
    counts: dict[str, int] = {}
    for seed in seeds:
        outcome = _check_case(db, rules, source, tmp_path / f"case{seed % 7}.xlsx", seed)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _seeds(default: int) -> range:
    if "FUZZ_SEED" in os.environ:
        seed = int(os.environ["FUZZ_SEED"])
        return range(seed, seed + 1)
    return range(default)


def test_mutated_workbooks_never_crash_and_never_half_save(db, rules, tmp_path):
    counts = _run(db, rules, tmp_path, _seeds(150))
    assert counts.get("rejected", 0) > 50  # most mutations must be caught, not ignored


@pytest.mark.slow
def test_mutated_workbooks_long_run(db, rules, tmp_path):
    counts = _run(db, rules, tmp_path, range(1000, 3000))
    assert counts.get("rejected", 0) > 500
