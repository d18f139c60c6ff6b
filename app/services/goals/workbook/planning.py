"""Phase one, part two: the file against the database. Cross-sheet checks, the domain's goal
checks per goal, and what would happen to each project — all before anything is written.

Severity (documented in the README):
- import-blocking: the sheet reader's blocking problems, unknown departments and project
  codes, duplicated codes, a 年度 other than the file's, a project code held by another
  unit or by a deleted project, 财政拨款 + 其他资金 ≠ 资金总额, negative amounts, a 指标性质
  contradicting the 指标值, values too long to store, an invalid 功能分类科目 or 实施期;
- review problems (the checks that stop approval: missing 产出/效益/满意度, points not
  adding up, a quantitative indicator without number or unit...) are warnings: the goal is
  imported as a draft and cannot be submitted until corrected. With strict=True they block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import Problem
from app.domain.goal_checks import GoalDraft, IndicatorDraft, check_goal, goal_text_index
from app.domain.money import round2
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.goals.records import FUNCTIONAL_CLASS_LENGTHS, INDICATOR_LIMITS
from app.spreadsheet import goals_sheets as gs

from .reading import FileContent
from .state import DbState
from .types import EntryIn, EntryOutcome, Outcome

LOCKED = {
    GoalStatus.APPROVED.value: "绩效目标已通过审核，导入不覆盖；如需修改请先退回",
    GoalStatus.SUBMITTED.value: "绩效目标正在审核中（待审核），导入不覆盖；如需修改请先退回",
}
DELETED_GOAL = "绩效目标在回收站中，导入不覆盖；如需导入请先恢复"
MONEY_COLUMNS = {"资金总额": "total", "财政拨款": "fiscal", "其他资金": "other"}
REVIEW_PREFIX = "（提交审核前须改正）"
CODE_LIMIT, NAME_LIMITS = 21, {"单位名称": 100, "项目名称": 200, "股室": 60}
CHECK_PROGRESS_EVERY = 200


@dataclass
class Plan:
    """What the import would do. `write` lists the entries to add or change."""

    year: int | None
    problems: list[Problem] = field(default_factory=list)
    outcomes: list[EntryOutcome] = field(default_factory=list)
    write: list[tuple[str, EntryIn]] = field(default_factory=list)  # (scope, entry)
    new_units: list[str] = field(default_factory=list)
    new_sections: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]


def make_plan(
    content: FileContent,
    state: DbState,
    rules: RuleSet,
    strict: bool = False,
    progress: Progress = NO_PROGRESS,
) -> Plan:
    plan = Plan(content.year, list(content.problems))
    _check_units(content, state, plan)
    known = set(state.departments) | set(content.units)
    _check_owners(content, state, known, plan)
    _check_goals(content, state, rules, strict, plan, progress)
    for entry in content.projects.values():
        _classify(plan, "project", entry, state)
    for entry in content.department_goals.values():
        if entry.goal is not None:
            _classify(plan, "department", entry, state)
    return plan


# --- departments -------------------------------------------------------------------------


def _check_units(content: FileContent, state: DbState, plan: Plan) -> None:
    sheet = gs.UNITS_SHEET
    for code, unit in content.units.items():
        known = state.departments.get(code)
        if known is not None:
            if unit.name and unit.name != known.name:
                message = f"单位名称“{unit.name}”与系统中的“{known.name}”不同，以系统为准"
                plan.problems.append(Problem(message, sheet, unit.row, "单位名称", False))
            continue
        plan.new_units.append(code)
        _check_length(plan, sheet, unit.row, "单位编码", code, CODE_LIMIT)
        _check_length(plan, sheet, unit.row, "单位名称", unit.name, NAME_LIMITS["单位名称"])
        _check_length(plan, sheet, unit.row, "股室", unit.section, NAME_LIMITS["股室"])
        if unit.parent_code == code:
            plan.problems.append(
                Problem("主管部门编码不能是本单位", sheet, unit.row, "主管部门编码")
            )
        elif unit.parent_code and unit.parent_code not in state.departments | content.units:
            message = f"主管部门编码“{unit.parent_code}”不在系统和本表中，新单位将不设主管部门"
            plan.problems.append(Problem(message, sheet, unit.row, "主管部门编码", False))
        new_section = unit.section and unit.section not in state.sections
        if new_section and unit.section not in plan.new_sections:
            plan.new_sections.append(unit.section)


def _check_length(plan: Plan, sheet: str, row: int, column: str, text: str, limit: int) -> None:
    if len(text) > limit:
        plan.problems.append(Problem(f"{column}超过 {limit} 个字", sheet, row, column))


def _check_owners(content: FileContent, state: DbState, known: set[str], plan: Plan) -> None:
    """Every project's unit is known; a code is not someone else's or a deleted project's."""
    for code, entry in content.projects.items():
        sheet, row = gs.PROJECTS_SHEET, entry.row
        _check_length(plan, sheet, row, "项目编码", code, CODE_LIMIT)
        if entry.department_code not in known:
            plan.problems.append(Problem(_unknown(entry.department_code), sheet, row, "单位编码"))
        existing = state.projects.get(code)
        if existing is None:
            continue
        if existing.deleted:
            message = f"项目编码“{code}”属于回收站中已删除的项目，请先恢复该项目或更换编码"
            plan.problems.append(Problem(message, sheet, row, "项目编码"))
        elif existing.department_code != entry.department_code:
            message = (
                f"项目编码“{code}”在系统中属于单位 {existing.department_code}，不能改到其他单位"
            )
            plan.problems.append(Problem(message, sheet, row, "单位编码"))
    for code, entry in content.department_goals.items():
        if code not in known:
            sheet = gs.DEPARTMENT_GOALS_SHEET
            plan.problems.append(Problem(_unknown(code), sheet, entry.row, "单位编码"))


def _unknown(code: str) -> str:
    return f"单位编码“{code}”既不在系统中，也不在“单位”工作表中"


# --- goal checks -------------------------------------------------------------------------


def _check_goals(
    content: FileContent,
    state: DbState,
    rules: RuleSet,
    strict: bool,
    plan: Plan,
    progress: Progress,
) -> None:
    index = _text_index(content, state)
    bad = _bad_cells(content.problems)
    entries = [("project", e) for e in content.projects.values()]
    entries += [("department", e) for e in content.department_goals.values()]
    for done, (scope, entry) in enumerate(entries, 1):
        if done % CHECK_PROGRESS_EVERY == 0:
            progress.step(done, len(entries), "正在检查绩效目标")
        if scope == "project":
            plan.problems += _header_problems(entry)
        if entry.goal is None:
            continue
        drafts = content.drafts.get((scope, entry.code), [])
        found = _goal_problems(scope, entry, drafts, rules, index, strict)
        plan.problems += [p for p in found if not _consequence(p, entry, scope, drafts, bad)]


Cell = tuple[str, int | None, str]


def _bad_cells(problems: list[Problem]) -> set[Cell]:
    """Cells that already have a blocking problem of their own (a bad number...)."""
    return {(p.sheet, p.row, p.column) for p in problems if p.blocking and p.column}


def _consequence(
    problem: Problem, entry: EntryIn, scope: str, drafts: list[IndicatorDraft], bad: set[Cell]
) -> bool:
    """Whether a goal check's problem only repeats a cell's own error: a cell that could
    not be read counts as blank, and 'total ≠ parts' or 'points ≠ 100' would follow."""
    goal_sheet = gs.PROJECTS_SHEET if scope == "project" else gs.DEPARTMENT_GOALS_SHEET
    indicator_sheet = gs.INDICATORS_SHEET if scope == "project" else gs.DEPARTMENT_INDICATORS_SHEET
    if problem.sheet == goal_sheet and problem.row == entry.row:
        money = {_goal_column(c, scope) for c in MONEY_COLUMNS}
        if problem.column in money:
            return any((goal_sheet, entry.row, c) in bad for c in money)
        if problem.column:
            return (goal_sheet, entry.row, problem.column) in bad
        return any((indicator_sheet, d.row, c) in bad for d in drafts for c in _GOAL_WIDE)
    return (problem.sheet, problem.row, problem.column) in bad


# Indicator cells whose errors make goal-wide checks (points total, layout) meaningless.
_GOAL_WIDE = ("分值", "一级指标", "二级指标")


def _text_index(content: FileContent, state: DbState) -> dict[str, list[tuple[str, str]]]:
    """Copy-check over the year: the file's goal texts and the database's other projects."""
    texts = [(d, c, t) for d, c, t in state.goal_texts if c not in content.projects]
    texts += [
        (e.department_code, e.code, e.goal.overall_target)
        for e in content.projects.values()
        if e.goal is not None
    ]
    return goal_text_index(texts)


def _header_problems(entry: EntryIn) -> list[Problem]:
    header = entry.header
    assert header is not None
    sheet, row = gs.PROJECTS_SHEET, entry.row
    problems = []
    code = header.functional_class
    if code and not (code.isascii() and code.isdigit() and len(code) in FUNCTIONAL_CLASS_LENGTHS):
        message = f"功能分类科目“{code}”应为 3、5 或 7 位数字"
        problems.append(Problem(message, sheet, row, "功能分类科目"))
    elif not code:
        problems.append(Problem("功能分类科目未填写", sheet, row, "功能分类科目", False))
    start, end = header.start_year, header.end_year
    if start is not None and end is not None and start > end:
        message = f"结束年度 {end} 早于起始年度 {start}"
        problems.append(Problem(message, sheet, row, "结束年度"))
    if len(header.name) > NAME_LIMITS["项目名称"]:
        problems.append(Problem("项目名称超过 200 个字", sheet, row, "项目名称"))
    return problems


def _goal_problems(
    scope: str,
    entry: EntryIn,
    drafts: list[IndicatorDraft],
    rules: RuleSet,
    index: dict[str, list[tuple[str, str]]],
    strict: bool,
) -> list[Problem]:
    goal = entry.goal
    assert goal is not None
    goal_sheet = gs.PROJECTS_SHEET if scope == "project" else gs.DEPARTMENT_GOALS_SHEET
    indicator_sheet = gs.INDICATORS_SHEET if scope == "project" else gs.DEPARTMENT_INDICATORS_SHEET
    header = entry.header
    amounts: tuple[Decimal | None, Decimal | None, Decimal | None]
    if header is not None:
        amounts = (header.total, header.fiscal, header.other)
    else:
        amounts = (goal.budget, goal.budget, Decimal(0))
    draft = GoalDraft(
        scope=Scope.PROJECT if scope == "project" else Scope.DEPARTMENT,
        overall_target=goal.overall_target,
        total_amount=amounts[0],
        fiscal_amount=amounts[1],
        other_amount=amounts[2],
        indicators=tuple(drafts),
        department_code=entry.department_code,
        project_code=entry.code if scope == "project" else "",
    )
    problems = _storage_problems(indicator_sheet, drafts)
    for p in check_goal(draft, rules, index):
        money = p.column in MONEY_COLUMNS
        blocking = p.blocking and (strict or (money and scope == "project"))
        message = p.message
        message = message if blocking or not p.blocking else REVIEW_PREFIX + message
        if p.row is not None:
            problems.append(Problem(message, indicator_sheet, p.row, p.column, blocking))
        else:
            column = _goal_column(p.column, scope)
            problems.append(Problem(message, goal_sheet, entry.row, column, blocking))
    return problems


def _goal_column(column: str, scope: str) -> str:
    if column in MONEY_COLUMNS:
        return f"{column}(万元)" if scope == "project" else "部门整体预算(万元)"
    return column if column == "年度总体目标" else ""


def _storage_problems(sheet: str, drafts: list[IndicatorDraft]) -> list[Problem]:
    """Indicator values the database cannot hold as given: refused rather than cut."""
    problems = []
    for d in drafts:
        for column, attr, limit in INDICATOR_LIMITS:
            if len(getattr(d, attr, "") or "") > limit:
                problems.append(Problem(f"{column}超过 {limit} 个字", sheet, d.row, column))
        if d.points is not None and d.points != round2(d.points):
            problems.append(Problem("分值最多保留两位小数", sheet, d.row, "分值"))
    return problems


# --- what happens to each entry ----------------------------------------------------------


def _classify(plan: Plan, scope: str, entry: EntryIn, state: DbState) -> None:
    """Added / changed / unchanged / left alone, by comparing contents."""
    name = entry.header.name if entry.header else entry.code
    if scope == "project":
        project = state.projects.get(entry.code)
        goal_state = project.goal if project is not None else None
        is_new = project is None
        header_same = project is not None and project.header == entry.header
    else:
        goal_state = state.department_goals.get(entry.code)
        is_new, header_same = goal_state is None, True
    goal_same = entry.goal is None or (goal_state is not None and goal_state.content == entry.goal)
    if header_same and goal_same and not is_new:
        plan.outcomes.append(EntryOutcome(scope, entry.code, name, Outcome.UNCHANGED))
        return
    if goal_state is not None and (goal_state.deleted or goal_state.status in LOCKED):
        reason = DELETED_GOAL if goal_state.deleted else LOCKED[goal_state.status]
        plan.outcomes.append(EntryOutcome(scope, entry.code, name, Outcome.LEFT_ALONE, reason))
        return
    outcome = Outcome.ADDED if is_new else Outcome.CHANGED
    plan.outcomes.append(EntryOutcome(scope, entry.code, name, outcome))
    plan.write.append((scope, entry))
