"""The goal side of a file: goals to create through the goals workbook's planner and writer,
and, for a 目标申报表 of a goal already stored, the differences listed instead of a write.

A 自评表 whose project (or department-wide goal) the database does not know brings its goal:
the targets and points as printed become the goal, written by the goals writer and then
marked approved with the reviewer FROM_FORM, so the year can be scored and sampled.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from app.domain.enums import Comparator, ProjectKind, Scope
from app.domain.indicator_values import format_target, normalize_name
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.goals.workbook.planning import Plan, make_plan
from app.services.goals.workbook.reading import DEFAULT_FUND_LEVEL, DEFAULT_FUND_SOURCE, FileContent
from app.services.goals.workbook.state import DbState, GoalState
from app.services.goals.workbook.types import EntryIn, GoalContent, IndicatorContent, ProjectHeader
from app.spreadsheet import goals_sheets as gs
from app.spreadsheet.forms import Printed

from .entries import FormEntry, RowIn, goal_content
from .matching import Matched

FROM_FORM = "取自自评表"  # reviewer of a goal taken from a self-evaluation form
_ROWS_PER_TABLE = 1000  # drafts are numbered table × 1000 + row, to locate goal problems


@dataclass
class GoalWork:
    content: FileContent
    plan: Plan | None = None
    from_form: list[tuple[Scope, str]] = field(default_factory=list)  # goals to approve
    compared: set[int] = field(default_factory=set)  # tables only compared with a stored goal


def plan_goals(
    pairs: list[tuple[FormEntry, Matched]], state: DbState, rules: RuleSet, year: int
) -> GoalWork:
    work = GoalWork(FileContent(year=year))
    for number, (entry, matched) in enumerate(pairs, 1):
        scope = Scope.DEPARTMENT if entry.kind.is_department else Scope.PROJECT
        stored = _stored_goal(matched, state, scope)
        if stored is not None:
            if not entry.kind.is_self_evaluation:
                work.compared.add(number)
                _compare(entry, stored.content)
            continue
        _add(work, number, entry, matched, scope)
        if entry.kind.is_self_evaluation:
            work.from_form.append((scope, _key(matched, scope)))
    if work.content.projects or work.content.department_goals:
        work.plan = make_plan(work.content, state, rules)
        _locate(work.plan, pairs)
    return work


def _key(matched: Matched, scope: Scope) -> str:
    return matched.department.code if scope is Scope.DEPARTMENT else matched.project_code


def _stored_goal(matched: Matched, state: DbState, scope: Scope) -> GoalState | None:
    if scope is Scope.DEPARTMENT:
        goal = state.department_goals.get(matched.department.code)
    else:
        goal = matched.project.goal if matched.project is not None else None
    return goal if goal is not None and not goal.deleted else None


def _add(work: GoalWork, number: int, entry: FormEntry, matched: Matched, scope: Scope) -> None:
    code = _key(matched, scope)
    goal = goal_content(entry)
    if scope is Scope.DEPARTMENT:
        entry_in = EntryIn(number, code, code, None, goal)
        work.content.department_goals[code] = entry_in
    else:
        header = matched.project.header if matched.project is not None else _header(entry, matched)
        entry_in = EntryIn(number, code, matched.department.code, header, goal)
        work.content.projects[code] = entry_in
    drafts = [
        replace(row.draft, row=number * _ROWS_PER_TABLE + i) for i, row in enumerate(entry.rows, 1)
    ]
    work.content.drafts["department" if scope is Scope.DEPARTMENT else "project", code] = drafts


def _header(entry: FormEntry, matched: Matched) -> ProjectHeader:
    printed_kind = entry.table.get("project_kind").text.strip()
    kind = printed_kind if printed_kind in {k.value for k in ProjectKind} else ProjectKind.NEW.value
    total = entry.money.get("annual_budget") or entry.money.get("fiscal") or Decimal(0)
    other = entry.money.get("other") or entry.money.get("budget_other") or Decimal(0)
    return ProjectHeader(
        department_code=matched.department.code,
        name=entry.project_name,
        kind=kind,
        fund_source=DEFAULT_FUND_SOURCE,
        fund_level=DEFAULT_FUND_LEVEL,
        functional_class="",
        start_year=entry.year,
        end_year=entry.year,
        total=total,
        fiscal=total - other,
        other=other,
    )


def _locate(plan: Plan, pairs: list[tuple[FormEntry, Matched]]) -> None:
    """The goals planner's problems, moved onto the tables and cells they concern."""
    indicator_sheets = (gs.INDICATORS_SHEET, gs.DEPARTMENT_INDICATORS_SHEET)
    for p in plan.problems:
        if p.row is None:
            continue
        if p.sheet in indicator_sheets:
            number, index = divmod(p.row, _ROWS_PER_TABLE)
            entry = pairs[number - 1][0]
            entry.problem(p.message, entry.rows[index - 1].printed, p.blocking)
        else:
            entry = pairs[p.row - 1][0]
            column = f"（{p.column}）" if p.column else ""
            entry.at_table(f"{column}{p.message}", p.blocking)


def _compare(entry: FormEntry, stored: GoalContent) -> None:
    """Differences between a printed 目标申报表 and the stored goal, as reminders."""
    if normalize_name(entry.overall_target) != normalize_name(stored.overall_target):
        entry.at_table("年度总体目标与系统中的绩效目标不同（以系统为准，未导入）", blocking=False)
    stored_rows = {normalize_name(r.name): r for r in stored.indicators}
    printed = {normalize_name(r.content.name) for r in entry.rows}
    for row in entry.rows:
        old = stored_rows.get(normalize_name(row.content.name))
        if old is None:
            entry.problem("系统中的绩效目标没有这个指标", row.printed, blocking=False)
            continue
        for message, cell in _differences(old, row):
            entry.problem(message, cell, blocking=False)
    for key, old in stored_rows.items():
        if key not in printed:
            entry.at_table(f"表中缺少系统绩效目标中的指标“{old.name}”", blocking=False)


def _differences(old: IndicatorContent, row: RowIn) -> list[tuple[str, Printed]]:
    found = []
    new = row.content
    shown_old, shown_new = _shown(old), _shown(new)
    if normalize_name(shown_old) != normalize_name(shown_new):
        found.append((f"指标值“{shown_new}”与系统中的“{shown_old}”不同", row.target_cell))
    if old.points != new.points:
        message = f"分值{plain(new.points)}与系统中的{plain(old.points)}不同"
        found.append((message, row.points_cell))
    return found


def _shown(row: IndicatorContent) -> str:
    comparator = Comparator(row.comparator) if row.comparator else None
    return format_target(comparator, row.target_value, row.unit, row.target_text)
