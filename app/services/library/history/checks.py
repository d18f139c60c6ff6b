"""Every goal's findings for a year, as the goal editor shows them, plus the history checks.

`year_findings` is what `goals check` prints and what the bureau's per-股室 table is made
from. The editor shows the same list: its live checks are the same edit_problems plus
library.history.context.history_findings over the same history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import Scope
from app.domain.errors import Problem, UserError
from app.domain.history_checks import HISTORY_KINDS, HistoryFinding
from app.domain.rules import RuleSet
from app.services.common import live
from app.services.goals.records import (
    codes_of,
    draft_row,
    edit_problems,
    stored_edit,
    year_text_index,
)
from app.services.library.history.context import history_findings, history_years_back
from app.services.library.history.records import YearHistory, year_history
from app.storage.database import Database
from app.storage.models import Department, Goal, Project

KIND_BLOCKING = "阻断问题"
KIND_REVIEW = "审核提示"


@dataclass(frozen=True)
class Finding:
    """One problem of a goal. `kind` is a history check's kind, else 阻断问题 / 审核提示."""

    kind: str
    blocking: bool
    row: int | None
    column: str
    message: str
    figures: dict[str, str]


@dataclass(frozen=True)
class GoalFindings:
    goal_id: int
    scope: Scope
    section: str
    department_code: str
    department_name: str
    project_code: str
    name: str
    status: str
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.blocking)

    @property
    def history(self) -> int:
        return sum(1 for f in self.findings if f.kind in HISTORY_KINDS)


def section_tables(goals: Sequence[GoalFindings]) -> dict[str, list[GoalFindings]]:
    """Goals with findings per 股室 (in the bureau's order), weakest first within each."""
    tables: dict[str, list[GoalFindings]] = {}
    for g in goals:
        if g.findings:
            tables.setdefault(g.section, []).append(g)
    for rows in tables.values():
        rows.sort(key=lambda g: (-g.history, -g.blocking, -len(g.findings), g.project_code))
    return tables


def year_findings(
    db: Database, year: int, rules: RuleSet, department_code: str | None = None
) -> list[GoalFindings]:
    """Every live goal of the year with all its findings, by 股室, unit and project code."""
    with db.session() as s:
        year_id = live.year_id(s, year)
        if year_id is None:
            raise UserError(f"{year} 年度尚未建立，没有可检查的绩效目标")
        department = None
        if department_code is not None:
            department = s.scalar(select(Department).where(Department.code == department_code))
            if department is None:
                raise UserError(f"没有单位编码为“{department_code}”的预算单位")
        goals = _year_goals(s, year_id, department)
        history = None
        if rules.history is not None:
            units = rules.history.comparable_units
            history = year_history(s, year, history_years_back(rules), units)
        texts = year_text_index(s, year_id)
        goals.sort(key=_bureau_order)
        return [_goal_findings(g, rules, history, texts) for g in goals]


def _bureau_order(goal: Goal) -> tuple[int, str, bool, str]:
    """股室 in the bureau's order, then unit, its 部门整体 goal first, then project code."""
    dept = goal.department
    order = dept.section.sort_order if dept.section else 1 << 30
    code = goal.project.code if goal.project else ""
    return (order, dept.code, goal.project is not None, code)


def _year_goals(s: Session, year_id: int, department: Department | None) -> list[Goal]:
    stmt = (
        select(Goal)
        .outerjoin(Project, Goal.project_id == Project.id)
        .where(Goal.year_id == year_id, *live.only(Goal), live.or_missing(Project))
        .options(
            selectinload(Goal.indicators),
            selectinload(Goal.project),
            selectinload(Goal.department).selectinload(Department.section),
        )
    )
    if department is not None:
        stmt = stmt.where(Goal.department_id == department.id)
    return list(s.scalars(stmt))


def _goal_findings(
    goal: Goal,
    rules: RuleSet,
    history: YearHistory | None,
    texts: dict[str, list[tuple[str, str]]],
) -> GoalFindings:
    edit = stored_edit(goal)
    codes = codes_of(goal)
    problems = edit_problems(edit, rules, Scope(goal.scope), codes, texts)
    findings = [_plain(p) for p in problems]
    if history is not None and goal.project is not None:
        past = history.for_project(goal.project.code)
        drafts = [draft_row(r) for r in edit.indicators]
        findings += [_from_history(f) for f in history_findings(drafts, past, rules)]
    findings.sort(key=lambda f: (not f.blocking, -1 if f.row is None else f.row))
    dept = goal.department
    return GoalFindings(
        goal_id=goal.id,
        scope=Scope(goal.scope),
        section=dept.section.name if dept.section else "未分配股室",
        department_code=dept.code,
        department_name=dept.name,
        project_code=codes[1],
        name=goal.project.name if goal.project else f"{dept.name}部门整体",
        status=goal.status,
        findings=tuple(findings),
    )


def _plain(p: Problem) -> Finding:
    kind = KIND_BLOCKING if p.blocking else KIND_REVIEW
    return Finding(kind, p.blocking, p.row, p.column, p.message, {})


def _from_history(f: HistoryFinding) -> Finding:
    p = f.problem()
    return Finding(f.kind, False, p.row, p.column, p.message, dict(f.figures))
