"""Export: the self-evaluation workbook pre-filled from the approved goals.

Every project (and department as a whole) of the year whose goal is approved gets a 项目 row
and one 指标 row per goal indicator. Where a self-evaluation is already stored, its values
fill the department's columns, so export → import of an untouched file changes nothing.
``department`` selects one 预算单位 and the units under it (主管部门 → its subordinates).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator
from app.domain.errors import UserError
from app.domain.numbers import plain
from app.domain.progress import NO_PROGRESS, Progress
from app.services.evaluation.inputs import parse_band
from app.services.evaluation.workbook.context import Existing, GoalIndicator, Target, load_targets
from app.services.spotcheck.views import year_id
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet.selfeval_sheets import INDICATOR_SHEET, PROJECT_SHEET
from app.storage.database import Database
from app.storage.models import Department


@dataclass(frozen=True)
class SelfEvalExport:
    path: Path
    projects: int  # 项目 rows written
    indicators: int  # 指标 rows written
    without_goal: int  # projects left out: their goal is missing or not approved


def export_selfeval(
    db: Database,
    year: int,
    path: str | Path,
    department: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> SelfEvalExport:
    """Write the workbook for ``year`` (one department and its units, or all) to ``path``."""
    progress.step(0, 1, "正在读取批复的绩效目标")
    with db.session() as session:
        year_id(session, year)  # a clear error for an unknown year
        ids = None if department is None else _department_ids(session, department)
        targets = load_targets(session, [year], ids)
    chosen = sorted(
        (t for t in targets.values() if t.approved),
        key=lambda t: (t.section_order, t.department_code, t.key),
    )
    if not chosen:
        where = f"单位“{department}”" if department else ""
        raise UserError(f"{year}年{where}没有已批复绩效目标的项目，无法导出自评表。")
    projects = [_project_row(t) for t in chosen]
    indicators = [row for t in chosen for row in _indicator_rows(t)]
    write_workbook(
        path,
        [SheetContent(PROJECT_SHEET, projects), SheetContent(INDICATOR_SHEET, indicators)],
        progress=progress,
    )
    progress.step(1, 1, "导出完成")
    return SelfEvalExport(Path(path), len(projects), len(indicators), len(targets) - len(chosen))


def _department_ids(session: Session, code: str) -> set[int]:
    found = session.scalar(select(Department.id).where(Department.code == code))
    if found is None:
        raise UserError(f"单位编码“{code}”不存在。")
    children = session.scalars(
        select(Department.id).where(or_(Department.id == found, Department.parent_id == found))
    )
    return set(children)


def _project_row(t: Target) -> dict[str, Any]:
    row: dict[str, Any] = {
        "year": t.year,
        "code": t.key,
        "name": t.name,
        "department_code": t.department_code,
        "department": t.department,
        "expected": t.overall_target,
        "initial_budget": t.amount,
        "annual_budget": t.annual_budget if t.annual_budget is not None else t.amount,
    }
    if t.evaluation is not None:
        row.update(_stored_head(t.evaluation))
    return row


def _stored_head(e: Existing) -> dict[str, Any]:
    head = e.head
    return {
        "initial_budget": head["initial_budget"],
        "annual_budget": head["annual_budget"],
        "spent": head["spent"],
        "budget_fiscal": head["budget_fiscal"],
        "budget_carryover": head["budget_carryover"],
        "budget_other": head["budget_other"],
        "spent_fiscal": head["spent_fiscal"],
        "spent_carryover": head["spent_carryover"],
        "spent_other": head["spent_other"],
        "actual_outcome": head["actual_outcome"],
        "claimed_execution": head["claimed_execution_score"],
        "claimed_total": head["claimed_total"],
        "claimed_grade": head["claimed_grade"] or None,
    }


def _indicator_rows(t: Target) -> list[dict[str, Any]]:
    stored = {}
    if t.evaluation is not None:
        stored = {r["indicator_id"]: r for r in t.evaluation.rows.values() if r["indicator_id"]}
    return [_indicator_row(t, ind, stored.get(ind.id)) for ind in t.indicators]


def _indicator_row(t: Target, ind: GoalIndicator, stored: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": t.key,
        "project_name": t.name,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": ind.shown_target,
        "points": ind.points,
    }
    if stored is None:
        return row
    # What the department stated earlier stays visible, so a re-export keeps their file.
    if stored["stated_target"]:
        row["target"] = stored["stated_target"]
    if stored["stated_points"] is not None:
        row["points"] = stored["stated_points"]
    row["actual"] = _actual(ind, stored)
    row["claimed_score"] = stored["claimed_score"]
    row["reason"] = stored["reason"]
    return row


def _actual(ind: GoalIndicator, stored: dict[str, Any]) -> str | None:
    if ind.comparator is Comparator.QUALITATIVE:
        shown: str | None = stored["actual_text" if _names_band(stored) else "qualitative_band"]
        return shown
    value: Decimal | None = stored["actual_value"]
    return None if value is None else plain(value)


def _names_band(stored: dict[str, Any]) -> bool:
    """The typed text reads back as the stored band (else write the band itself)."""
    text, band = stored["actual_text"], stored["qualitative_band"]
    return bool(text) and parse_band(text) is not None and parse_band(text) == parse_band(band)
