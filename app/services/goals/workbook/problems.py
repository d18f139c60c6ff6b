"""The list of import problems as a workbook the user can keep or send to the department."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.domain.errors import Problem
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet.goals_sheets import PROBLEMS


def export_problems(path: str | Path, problems: Iterable[Problem]) -> Path:
    rows = [
        {
            "severity": "错误" if p.blocking else "提示",
            "sheet": p.sheet or None,
            "row": p.row,
            "column": p.column or None,
            "message": p.message,
        }
        for p in problems
    ]
    write_workbook(path, [SheetContent(PROBLEMS, rows)], instructions=False, protect=False)
    return Path(path)
