"""Goal editing: open a goal (creating an empty draft when missing), check it live, save it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.goal_checks import is_placeholder
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.goals.records import (
    codes_of,
    draft_row,
    edit_problems,
    get_goal,
    indicator_from_row,
    label_of,
    storage_problems,
    to_detail,
    year_text_index,
)
from app.services.goals.snapshot import audit_fields, goal_snapshot
from app.services.goals.types import CheckContext, GoalDetail, GoalEdit, SaveResult
from app.services.library.history.context import history_findings, load_goal_history
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Department, Goal, Project

EDITABLE = (GoalStatus.DRAFT.value, GoalStatus.RETURNED.value)


def load_goal(db: Database, goal_id: int) -> GoalDetail:
    with db.session() as session:
        return to_detail(session, get_goal(session, goal_id))


def goal_for_project(db: Database, project_id: int) -> GoalDetail:
    """The project's goal; a project without one gets an empty 草稿 (audited)."""
    with db.transaction() as s:
        project = live.get(s, Project, project_id)
        if project is None:
            raise UserError(f"项目（编号 {project_id}）不存在或已删除")
        goal = project.goal
        if goal is None or live.in_bin(goal):
            if goal is not None:
                raise UserError(f"项目 {project.code} 的绩效目标已删除，无法打开")
            goal = _new_goal(s, Scope.PROJECT, project.year_id, project.department_id, project)
        return to_detail(s, goal)


def department_goal(db: Database, year: int, department_id: int) -> GoalDetail:
    """The department-wide (部门整体) goal of a year; created as an empty 草稿 if missing."""
    with db.transaction() as s:
        fiscal_year = live.fiscal_year(s, year)
        if fiscal_year is None:
            raise UserError(f"{year} 年度尚未建立，请先建立年度")
        dept = s.get(Department, department_id)
        if dept is None:
            raise UserError(f"预算单位（编号 {department_id}）不存在")
        goal = s.scalar(
            select(Goal).where(
                Goal.year_id == fiscal_year.id,
                Goal.department_id == dept.id,
                Goal.scope == Scope.DEPARTMENT.value,
                *live.with_bin(Goal),  # a binned one blocks a new one (unique per year)
            )
        )
        if goal is None:
            goal = _new_goal(s, Scope.DEPARTMENT, fiscal_year.id, dept.id, None)
        elif live.in_bin(goal):
            raise UserError(f"单位 {dept.code} 的{year}年部门整体绩效目标已删除，无法打开")
        return to_detail(s, goal)


def _new_goal(
    s: Session, scope: Scope, year_id: int, department_id: int, project: Project | None
) -> Goal:
    goal = Goal(
        scope=scope.value,
        year_id=year_id,
        department_id=department_id,
        project=project,
        status=GoalStatus.DRAFT.value,
        revision=1,
    )
    s.add(goal)
    s.flush()
    audit.record(
        s, "新建绩效目标", audit.GOAL, goal.id, label_of(goal), after={"状态": goal.status}
    )
    return goal


def check_context(db: Database, goal_id: int, rules: RuleSet | None = None) -> CheckContext:
    """Everything the live checks need from the database, read once when the editor opens.
    With `rules`, also the project's history for the history checks."""
    with db.session() as session:
        goal = get_goal(session, goal_id)
        return CheckContext(
            scope=Scope(goal.scope),
            department_code=codes_of(goal)[0],
            project_code=codes_of(goal)[1],
            other_goal_texts=year_text_index(session, goal.year_id),
            history=load_goal_history(session, goal, rules),
        )


def check_goal_edit(edit: GoalEdit, rules: RuleSet, context: CheckContext) -> list[Problem]:
    """Live checks while typing: no database access, so cheap on every keystroke."""
    codes = (context.department_code, context.project_code)
    problems = storage_problems(edit)
    problems += edit_problems(edit, rules, context.scope, codes, context.other_goal_texts)
    drafts = [draft_row(r) for r in edit.indicators]
    return problems + [f.problem() for f in history_findings(drafts, context.history, rules)]


def save_goal(
    db: Database, goal_id: int, edit: GoalEdit, rules: RuleSet, loaded_version: int | None = None
) -> SaveResult:
    """Save the header and the indicator rows (in the given order, placeholder rows dropped).

    Saving never changes the status: a 已退回 goal stays 已退回 until it is resubmitted.
    Problems are returned, not raised, so a half-finished draft can be kept; only values
    the database cannot hold refuse the save. With `loaded_version` (GoalDetail.version of
    what the user edited), a goal changed since then is refused, not overwritten.
    """
    with db.transaction() as s:
        if live.get(s, Goal, goal_id) is None:  # deleted or binned since it was loaded
            versions.check(s, None, loaded_version, audit.GOAL, goal_id, "该绩效目标")
        goal = get_goal(s, goal_id)
        label = label_of(goal)
        versions.check(s, goal, loaded_version, audit.GOAL, goal.id, f"该绩效目标（{label}）")
        if goal.status not in EDITABLE:
            raise UserError(f"{label}：绩效目标{goal.status}，不能修改；如需修改请先退回")
        refused = storage_problems(edit)
        if refused:
            raise ValidationFailed(refused, f"{label}：以下内容无法保存，请修改后再保存：")
        before = goal_snapshot(goal)
        _apply_header(goal, edit)
        _apply_rows(goal, edit)
        s.flush()
        after = goal_snapshot(goal)
        if after != before:
            old, new = audit.changed_only(audit_fields(before), audit_fields(after))
            audit.record(s, "修改绩效目标", audit.GOAL, goal.id, label, old, new)
        index = year_text_index(s, goal.year_id)
        problems = edit_problems(edit, rules, Scope(goal.scope), codes_of(goal), index)
        return SaveResult(goal.id, tuple(problems))


def _apply_header(goal: Goal, edit: GoalEdit) -> None:
    goal.overall_target = edit.overall_target.strip()
    goal.long_term_target = edit.long_term_target.strip()
    project = goal.project
    if project is None:
        goal.budget_amount = edit.budget_amount
        return
    project.name = edit.project_name.strip()
    project.kind = edit.kind.value
    project.fund_source = edit.fund_source
    project.fund_level = edit.fund_level
    project.functional_class = edit.functional_class.strip()
    project.start_year = edit.start_year
    project.end_year = edit.end_year
    # The money columns are NOT NULL; an empty cell is kept as 0 and still reported.
    project.total_amount = edit.total_amount or Decimal(0)
    project.fiscal_amount = edit.fiscal_amount or Decimal(0)
    project.other_amount = edit.other_amount or Decimal(0)


def _apply_rows(goal: Goal, edit: GoalEdit) -> None:
    """Rows keep their indicator ids, so return comments and monitoring still point at them."""
    existing = {ind.id: ind for ind in goal.indicators}
    rows = [r for r in edit.indicators if not is_placeholder(draft_row(r))]
    goal.indicators = [
        indicator_from_row(row, position, existing.pop(row.id, None) if row.id else None)
        for position, row in enumerate(rows, start=1)
    ]
