"""Export a goals workbook: a blank template for departments, or the current goals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.domain.errors import UserError
from app.domain.numbers import plain
from app.domain.progress import NO_PROGRESS, Progress
from app.spreadsheet import SheetContent, write_workbook
from app.spreadsheet import goals_sheets as gs
from app.storage.database import Database

from .state import DbState, DepartmentState, GoalState, department_codes_in_scope, load_state
from .types import ExportResult, IndicatorContent


def export_goals(
    db: Database,
    path: str | Path,
    year: int,
    department_code: str | None = None,
    blank: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ExportResult:
    """Write the workbook for all departments or one (with the units it supervises).

    The blank template has the headers, 填表说明, choice lists, and the 单位 and 部门整体目标
    rows pre-filled; the filled one adds every live project and goal of the year.
    """
    with db.session() as session:
        state = load_state(session, year)
    if department_code is not None and department_code not in state.departments:
        raise UserError(f"单位编码“{department_code}”不存在")
    if not blank and state.year_id is None:
        raise UserError(f"{year} 年度尚未建立，没有可导出的绩效目标；可导出空白模板")
    units = department_codes_in_scope(state.departments.values(), department_code)
    codes = {u.code for u in units}
    projects = [] if blank else [p for p in state.projects.values() if _live(p, codes)]
    project_rows = [_project_row(year, p) for p in projects]
    indicator_rows = [
        _indicator_row("project_code", p.code, ind) for p in projects for ind in _indicators(p.goal)
    ]
    department_rows, department_indicators = _department_sheets(state, units, year, blank)
    contents = [
        SheetContent(gs.UNITS, [_unit_row(u) for u in units]),
        SheetContent(gs.PROJECTS, project_rows),
        SheetContent(gs.INDICATORS, indicator_rows),
        SheetContent(gs.DEPARTMENT_GOALS, department_rows),
        SheetContent(gs.DEPARTMENT_INDICATORS, department_indicators),
    ]
    write_workbook(path, contents, progress=progress)
    count = len(indicator_rows) + len(department_indicators)
    return ExportResult(Path(path), year, len(units), len(project_rows), count, blank)


def _live(project: Any, codes: set[str]) -> bool:
    return not project.deleted and project.department_code in codes


def _live_goal(goal: GoalState | None) -> GoalState | None:
    return goal if goal is not None and not goal.deleted else None


def _indicators(goal: GoalState | None) -> Iterator[IndicatorContent]:
    live = _live_goal(goal)
    return iter(live.content.indicators if live else ())


def _unit_row(unit: DepartmentState) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "parent_code": unit.parent_code or None,
        "section": unit.section or None,
    }


def _project_row(year: int, project: Any) -> dict[str, Any]:
    h = project.header
    goal = _live_goal(project.goal)
    return {
        "year": year,
        "department_code": h.department_code,
        "code": project.code,
        "name": h.name,
        "kind": h.kind,
        "fund_source": h.fund_source,
        "functional_class": h.functional_class or None,
        "total": h.total,
        "fiscal": h.fiscal,
        "other": h.other,
        "start_year": h.start_year,
        "end_year": h.end_year,
        "overall_target": goal.content.overall_target if goal else None,
        "fund_level": h.fund_level,
        "long_term_target": (goal.content.long_term_target or None) if goal else None,
        "status": goal.status if goal else "未填报",
    }


def _indicator_row(owner_key: str, owner: str, ind: IndicatorContent) -> dict[str, Any]:
    value = plain(ind.target_value) if ind.target_value is not None else ind.target_text
    return {
        owner_key: owner,
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "nature": ind.comparator or None,
        "value": value or None,
        "unit": ind.unit or None,
        "points": ind.points,
        "explanation": ind.explanation or None,
        "standard_source": ind.standard_source or None,
    }


def _department_sheets(
    state: DbState, units: list[DepartmentState], year: int, blank: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A row per unit (pre-filled for the department to complete), goals when filled."""
    rows, indicators = [], []
    for unit in units:
        row: dict[str, Any] = {"year": year, "department_code": unit.code}
        row["department_name"] = unit.name
        goal = None if blank else _live_goal(state.department_goals.get(unit.code))
        if goal is not None:
            content = goal.content
            row |= {
                "budget": content.budget,
                "overall_target": content.overall_target or None,
                "long_term_target": content.long_term_target or None,
                "status": goal.status,
            }
            indicators += [
                _indicator_row("department_code", unit.code, ind) for ind in content.indicators
            ]
        rows.append(row)
    return rows, indicators
