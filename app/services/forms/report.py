"""What an import of printed forms tells the user: per file, per table, per unit.

Plain data for the CLI (--json) and the board in the GUI. A file is 已导入 (written),
未变 (nothing new) or 有问题 (refused: nothing of it was written); a unit is 已收 when a file
of it landed, 有问题 when its only files were refused, 未收 when no file named it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.spreadsheet.forms import FormProblem
from app.storage.database import Database
from app.storage.models import Department

from .entries import FormEntry
from .matching import Matched

IMPORTED, UNCHANGED, REFUSED = "已导入", "未变", "有问题"
RECEIVED, MISSING = "已收", "未收"


@dataclass(frozen=True)
class TableReport:
    kind: str  # 项目支出绩效自评表 …
    place: str  # sheet or table and first row
    unit: str  # as printed
    unit_code: str  # as matched ("" when not matched)
    project: str
    project_code: str  # matched, printed or made up for a new project
    new_project: bool
    year: int | None
    rows: int  # indicator rows read
    how: tuple[str, ...]  # how it was read


@dataclass(frozen=True)
class FileReport:
    path: Path
    status: str  # IMPORTED / UNCHANGED / REFUSED
    tables: tuple[TableReport, ...]
    problems: tuple[FormProblem, ...]  # blocking first

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def blocking(self) -> tuple[FormProblem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "status": self.status,
            "tables": [
                {
                    "kind": t.kind,
                    "place": t.place,
                    "unit": t.unit,
                    "unit_code": t.unit_code,
                    "project": t.project,
                    "project_code": t.project_code,
                    "new_project": t.new_project,
                    "year": t.year,
                    "rows": t.rows,
                }
                for t in self.tables
            ],
            "problems": [
                {
                    "message": p.describe(),
                    "blocking": p.blocking,
                    "label": p.label,
                    "where": p.where.describe() if p.where else "",
                }
                for p in self.problems
            ],
        }


def file_report(
    path: Path,
    entries: list[FormEntry],
    extra: list[FormProblem],
    *,
    written: bool,
    matches: list[Matched | None] | None = None,
) -> FileReport:
    problems = extra + [p for e in entries for p in e.problems]
    problems.sort(key=lambda p: not p.blocking)
    refused = any(p.blocking for p in problems)
    status = REFUSED if refused else IMPORTED if written else UNCHANGED
    found = matches or [None] * len(entries)
    tables = tuple(_table(e, m) for e, m in zip(entries, found, strict=True))
    return FileReport(path, status, tables, tuple(problems))


def _table(entry: FormEntry, matched: Matched | None) -> TableReport:
    table = entry.table
    return TableReport(
        kind=table.kind.value,
        place=f"{table.part}第{table.first_row}行",
        unit=entry.unit_name or entry.unit_code,
        unit_code=matched.department.code if matched else "",
        project=entry.project_name or ("部门整体支出" if table.kind.is_department else ""),
        project_code=matched.project_code if matched else entry.project_code,
        new_project=bool(matched and matched.new_project),
        year=entry.year,
        rows=len(table.indicators),
        how=table.notes,
    )


@dataclass(frozen=True)
class UnitStatus:
    code: str
    name: str
    status: str  # RECEIVED / REFUSED / MISSING
    forms: tuple[str, ...]  # "项目支出绩效自评表：家庭经济困难学生资助"
    files: tuple[str, ...]


def unit_board(db: Database, reports: list[FileReport]) -> list[UnitStatus]:
    """Every unit of the database with what the files brought for it."""
    with db.session() as session:
        units = session.execute(
            select(Department.code, Department.name).order_by(Department.code)
        ).all()
    by_code: dict[str, list[tuple[FileReport, TableReport]]] = {}
    names = {normalize(name): code for code, name in units}
    for report in reports:
        for table in report.tables:
            code = table.unit_code or names.get(normalize(table.unit), "")
            if code:
                by_code.setdefault(code, []).append((report, table))
    board = []
    for code, name in units:
        found = by_code.get(code, [])
        landed = any(r.status != REFUSED for r, _ in found)
        status = RECEIVED if landed else REFUSED if found else MISSING
        forms = tuple(dict.fromkeys(f"{t.kind}：{t.project}" for _, t in found))
        files = tuple(dict.fromkeys(r.name for r, _ in found))
        board.append(UnitStatus(code, name, status, forms, files))
    return board


def normalize(name: str) -> str:
    return "".join(name.split())
