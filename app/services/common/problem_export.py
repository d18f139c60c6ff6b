"""Any import's problem list as a workbook the user can keep or send back to a department.

The goals workbook has its own writer (goals.workbook.export_problems); every other kind
(monitoring, self-evaluation, indicator library) uses this one. The columns follow the
problems dialog: 工作表 / 行 / 列 / 问题 / 严重程度, errors first, then by sheet and row as given.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.domain.errors import Problem
from app.domain.progress import NO_PROGRESS, Progress
from app.spreadsheet import Column, Kind, SheetContent, SheetSpec, write_workbook

ERROR_LABEL, HINT_LABEL = "错误", "提示"
PROBLEM_LIST = SheetSpec(
    "问题清单",
    [
        Column("工作表", "sheet", width=14),
        Column("行", "row", Kind.INTEGER, width=7),
        Column("列", "column", width=16),
        Column("问题", "message", width=90),
        Column("严重程度", "severity", width=10),
    ],
    description="导入检查发现的问题：“错误”必须改正后才能导入，“提示”不影响导入。",
)


def severity_label(problem: Problem) -> str:
    return ERROR_LABEL if problem.blocking else HINT_LABEL


def export_problem_list(
    path: str | Path, problems: Iterable[Problem], progress: Progress = NO_PROGRESS
) -> Path:
    """Write the problems (errors before hints, otherwise in the given order); the path."""
    ordered = sorted(problems, key=lambda p: not p.blocking)  # stable: keeps sheet/row order
    rows = [
        {
            "sheet": p.sheet or None,
            "row": p.row,
            "column": p.column or None,
            "message": p.message,
            "severity": severity_label(p),
        }
        for p in ordered
    ]
    content = SheetContent(PROBLEM_LIST, rows)
    write_workbook(path, [content], instructions=False, protect=False, progress=progress)
    return Path(path)
