"""What a goals workbook leaves alone and what it would blank or delete.

Optional columns (资金级次, 长期目标, 标准来源) may be missing from a file — deleted, renamed,
or an older template. Their absence says nothing about the data, so the stored values are
kept (and the file's summary says so) instead of reading every cell as blank. What an
explicit edit would blank or delete is listed by project (app.services.common.import_losses).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from app.domain.errors import Problem
from app.services.common.import_losses import INDICATOR, Loss, blanked, too_many
from app.spreadsheet import SheetData, WorkbookData
from app.spreadsheet import goals_sheets as gs

from .planning import Plan
from .reading import FileContent
from .state import DbState, GoalState
from .types import EntryIn, GoalContent, IndicatorContent

# Optional columns by sheet: (key, header), kept from the database when missing.
OPTIONAL = {
    gs.PROJECTS_SHEET: (("fund_level", "资金级次"), ("long_term_target", "长期目标")),
    gs.DEPARTMENT_GOALS_SHEET: (("long_term_target", "长期目标"),),
    gs.INDICATORS_SHEET: (("standard_source", "标准来源"),),
    gs.DEPARTMENT_INDICATORS_SHEET: (("standard_source", "标准来源"),),
}


def keep_absent_columns(data: WorkbookData, content: FileContent, state: DbState) -> None:
    """Stored values for every optional column the file lacks, and a note for each."""
    absent = {name: _absent(data[name], content.problems) for name in OPTIONAL}
    projects = absent[gs.PROJECTS_SHEET]
    for code, entry in content.projects.items():
        stored = state.projects.get(code)
        if stored is None:
            continue
        if "fund_level" in projects and entry.header is not None:
            entry.header = replace(entry.header, fund_level=stored.header.fund_level)
        _keep_goal(entry, stored.goal, projects, absent[gs.INDICATORS_SHEET])
    departments, indicators = (
        absent[gs.DEPARTMENT_GOALS_SHEET],
        absent[gs.DEPARTMENT_INDICATORS_SHEET],
    )
    for code, entry in content.department_goals.items():
        _keep_goal(entry, state.department_goals.get(code), departments, indicators)


def _absent(sheet: SheetData, problems: list[Problem]) -> set[str]:
    if not sheet.found or sheet.header_row is None:
        return set()
    keys = set()
    for key, header in OPTIONAL[sheet.spec.name]:
        if key in sheet.absent:
            keys.add(key)
            message = f"文件中没有“{header}”列，系统中已保存的{header}保持不变"
            problems.append(Problem(message, sheet.spec.name, sheet.header_row, "", False))
    return keys


def _keep_goal(
    entry: EntryIn, stored: GoalState | None, goal_absent: set[str], indicator_absent: set[str]
) -> None:
    if entry.goal is None or stored is None:
        return
    goal = entry.goal
    if "long_term_target" in goal_absent:
        goal = replace(goal, long_term_target=stored.content.long_term_target)
    if "standard_source" in indicator_absent:
        sources = {i.match_key: i.standard_source for i in stored.content.indicators}
        kept = tuple(
            replace(i, standard_source=sources.get(i.match_key, i.standard_source))
            for i in goal.indicators
        )
        goal = replace(goal, indicators=kept)
    entry.goal = goal


# --- what the import would blank or delete ----------------------------------------------

_HEADER_FIELDS = (("functional_class", "功能分类科目"), ("start_year", "起始年度"),
                  ("end_year", "结束年度"))  # fmt: skip
_GOAL_FIELDS = (("overall_target", "年度总体目标"), ("long_term_target", "长期目标"))
_INDICATOR_FIELDS = (("explanation", "指标解释"), ("standard_source", "标准来源"),
                     ("unit", "计量单位"))  # fmt: skip


def losses(plan: Plan, state: DbState) -> list[Loss]:
    """Stored values the plan would blank and stored indicators it would delete."""
    found: list[Loss] = []
    for scope, entry in plan.write:
        if scope == "project":
            project = state.projects.get(entry.code)
            if project is None:
                continue
            owner = f"项目 {entry.code}（{project.header.name}）"
            for key, header in _HEADER_FIELDS:
                before, after = getattr(project.header, key), getattr(entry.header, key)
                found += blanked(owner, header, before, after, gs.PROJECTS_SHEET)
            stored, sheets = project.goal, (gs.PROJECTS_SHEET, gs.INDICATORS_SHEET)
        else:
            owner, stored = (
                f"单位 {entry.code} 部门整体目标",
                state.department_goals.get(entry.code),
            )
            sheets = (gs.DEPARTMENT_GOALS_SHEET, gs.DEPARTMENT_INDICATORS_SHEET)
        if stored is not None and entry.goal is not None:
            found += _goal_losses(owner, stored.content, entry.goal, sheets)
    return found


def _goal_losses(
    owner: str, before: GoalContent, after: GoalContent, sheets: tuple[str, str]
) -> list[Loss]:
    goal_sheet, indicator_sheet = sheets
    found = []
    for key, header in _GOAL_FIELDS:
        found += blanked(owner, header, getattr(before, key), getattr(after, key), goal_sheet)
    kept = {i.match_key: i for i in after.indicators}
    remaining = Counter(i.match_key for i in after.indicators)
    for ind in before.indicators:
        if remaining[ind.match_key] <= 0:
            found.append(Loss(owner, INDICATOR, _indicator_label(ind), indicator_sheet))
            continue
        remaining[ind.match_key] -= 1
        for key, header in _INDICATOR_FIELDS:
            new = getattr(kept[ind.match_key], key)
            before = getattr(ind, key)
            found += blanked(owner, header, before, new, indicator_sheet, ind.name)
    return found


def _indicator_label(ind: IndicatorContent) -> str:
    return "／".join(part for part in (ind.level1, ind.level2, ind.name) if part)


def blocking(found: list[Loss]) -> list[Problem]:
    return too_many(found, gs.INDICATORS_SHEET, "三级指标")
