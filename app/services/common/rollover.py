"""Roll the year forward: continuing projects and their goals become next year's drafts.

Decisions:
- A project continues when its 实施期 ends after this year or it is marked 延续; next year
  it is 延续 whatever it was, keeps its code, 实施期, money and funding fields, and loses
  its ex-ante exemption (a decision for each year).
- Goals are copied as 草稿, revision 1, without review fields or history; indicator rows
  keep their order and library links. Department-wide goals are copied too.
- A code already present next year (even a deleted project, which still holds the code) is
  skipped and left untouched, so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, ProjectKind, Scope
from app.domain.errors import UserError
from app.domain.goal_checks import has_blocking
from app.domain.rules import RuleSet
from app.services.common import audit, jobs, live
from app.services.common.year_rules import freeze_rules
from app.services.goals.records import codes_of, edit_problems, stored_edit
from app.storage import joblock
from app.storage.database import Database
from app.storage.models import FiscalYear, Goal, Indicator, Project

PROJECT_FIELDS = (
    "department_id", "code", "name", "fund_source", "fund_level", "functional_class",
    "start_year", "end_year", "total_amount", "fiscal_amount", "other_amount",
)  # fmt: skip
INDICATOR_FIELDS = (
    "position", "level1", "level2", "name", "comparator", "target_value", "target_text",
    "unit", "points", "explanation", "standard_source", "library_indicator_id",
)  # fmt: skip


@dataclass(frozen=True)
class RolloverResult:
    from_year: int
    to_year: int
    copied: tuple[str, ...]  # project codes copied
    skipped: tuple[str, ...]  # continuing project codes already present next year
    department_goals: int  # department-wide goals copied
    need_attention: tuple[str, ...]  # copied project goals with blocking problems today


@jobs.exclusive(joblock.ROLLOVER, per_year=True)
def roll_forward(db: Database, from_year: int, rules: RuleSet) -> RolloverResult:
    """Copy `from_year`'s continuing projects and goals into from_year + 1 as drafts.

    The copies are checked against `rules` so the result can list the goals that need
    work before they can be submitted (e.g. after the rule set changed).
    """
    to_year = from_year + 1
    with db.transaction() as s:
        source = live.fiscal_year(s, from_year)
        if source is None:
            raise UserError(f"{from_year} 年度不存在，无法结转")
        target = _year(s, to_year)
        # Binned ones count as present: the code is unique per year either way.
        taken = set(
            s.scalars(
                select(Project.code).where(Project.year_id == target.id, *live.with_bin(Project))
            )
        )
        copied, skipped, attention = [], [], []
        for project in _continuing(s, source.id, from_year):
            if project.code in taken:
                skipped.append(project.code)
                continue
            new_goal = _copy_project(s, project, target)
            copied.append(project.code)
            if new_goal is not None and _blocked(new_goal, rules):
                attention.append(project.code)
        departments = _copy_department_goals(s, source.id, target.id)
        result = RolloverResult(
            from_year, to_year, tuple(copied), tuple(skipped), departments, tuple(attention)
        )
        after = {
            "复制项目": list(copied),
            "已存在跳过": list(skipped),
            "复制部门整体目标": departments,
            "需修改": list(attention),
        }
        audit.record(s, "年度结转", audit.YEAR, target.id, f"{from_year}→{to_year}", None, after)
        return result


def _year(s: Session, value: int) -> FiscalYear:
    found = live.fiscal_year(s, value)
    if found is None:
        found = FiscalYear(year=value)
        s.add(found)
        s.flush()
        freeze_rules(s, found)
        audit.record(s, "建立年度", audit.YEAR, found.id, str(value), after={"年度": value})
    return found


def _continuing(s: Session, year_id: int, year: int) -> list[Project]:
    stmt = (
        select(Project)
        .where(
            Project.year_id == year_id,
            *live.only(Project),
            or_(Project.end_year > year, Project.kind == ProjectKind.CONTINUING.value),
        )
        .order_by(Project.code)
    )
    return list(s.scalars(stmt))


def _copy_project(s: Session, project: Project, target: FiscalYear) -> Goal | None:
    """The copied project; returns its copied goal, if the project had a live one."""
    copy = Project(year_id=target.id, kind=ProjectKind.CONTINUING.value)
    for name in PROJECT_FIELDS:
        setattr(copy, name, getattr(project, name))
    s.add(copy)
    s.flush()
    goal = project.goal
    if goal is None or live.in_bin(goal):
        return None
    return _copy_goal(s, goal, target.id, copy)


def _copy_goal(s: Session, goal: Goal, year_id: int, project: Project | None) -> Goal:
    copy = Goal(
        scope=goal.scope,
        year_id=year_id,
        department_id=goal.department_id,
        project=project,
        overall_target=goal.overall_target,
        long_term_target=goal.long_term_target,
        budget_amount=goal.budget_amount,
        status=GoalStatus.DRAFT.value,
        revision=1,
    )
    s.add(copy)  # before reading the source rows: their lazy load autoflushes
    copy.indicators = [_copy_indicator(ind) for ind in goal.indicators]
    s.flush()
    return copy


def _copy_indicator(ind: Indicator) -> Indicator:
    copy = Indicator()
    for name in INDICATOR_FIELDS:
        setattr(copy, name, getattr(ind, name))
    return copy


def _copy_department_goals(s: Session, source_id: int, target_id: int) -> int:
    # Deleted ones count as present: the unique index covers them too.
    present = set(
        s.scalars(
            select(Goal.department_id).where(
                Goal.year_id == target_id,
                Goal.scope == Scope.DEPARTMENT.value,
                *live.with_bin(Goal),
            )
        )
    )
    goals = s.scalars(
        select(Goal)
        .where(
            Goal.year_id == source_id,
            Goal.scope == Scope.DEPARTMENT.value,
            *live.only(Goal),
        )
        .order_by(Goal.department_id)
    )
    count = 0
    for goal in goals:
        if goal.department_id not in present:
            _copy_goal(s, goal, target_id, None)
            count += 1
    return count


def _blocked(goal: Goal, rules: RuleSet) -> bool:
    return has_blocking(edit_problems(stored_edit(goal), rules, Scope(goal.scope), codes_of(goal)))
