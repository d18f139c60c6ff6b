"""Export the 结果应用 list (proposed and decided budget adjustments) to Excel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import UserError
from app.domain.progress import NO_PROGRESS, Progress
from app.services.results.records import AdjustmentRow, DepartmentResults, results_by_department
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet.results_sheets import RESULTS_SHEET
from app.storage.database import Database


@dataclass(frozen=True)
class ResultsExport:
    path: Path
    departments: int
    projects: int


def chosen_results(db: Database, year: int, department: str | None) -> list[DepartmentResults]:
    """The year's stored list, all departments or one (by 单位编码); UserError when empty."""
    groups = results_by_department(db, year)
    if department is not None:
        groups = [g for g in groups if g.department_code == department]
    if not groups:
        where = f"单位“{department}”" if department else ""
        raise UserError(f"{year}年{where}还没有结果应用建议，请先生成建议。")
    return groups


def export_results(
    db: Database,
    year: int,
    path: str | Path,
    department: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> ResultsExport:
    groups = chosen_results(db, year, department)
    rows = [_row(r) for g in groups for r in g.rows]
    write_workbook(path, [SheetContent(RESULTS_SHEET, rows)], protect=False, progress=progress)
    return ResultsExport(Path(path), len(groups), len(rows))


def _row(r: AdjustmentRow) -> dict[str, Any]:
    return {
        "section": r.section,
        "department_code": r.department_code,
        "department": r.department,
        "code": r.project_code,
        "name": r.project_name,
        "grade": r.grade,
        "grade_source": r.grade_source,
        "action": r.action,
        "base": r.base,
        "proposed_cut": r.proposed_cut,
        "decided_cut": r.decided_cut,
        "final_amount": r.final_amount,
        "basis": r.basis,
        "reason": r.decision_reason,
    }
