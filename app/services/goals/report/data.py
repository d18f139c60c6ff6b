"""Plain data of 绩效目标表 (project and department-wide), read in bulk for the goal book.

A report never creates or changes anything: a project without a goal is reported as
such (the goal services would create an empty draft when opening it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.errors import UserError
from app.domain.indicator_values import format_target
from app.domain.rules import RuleSet
from app.services.reports.common import OrgNames, fiscal_year_id, org_names
from app.storage.database import Database
from app.storage.models import Department, Goal, Indicator, Project, Section

NO_SECTION = "未分配股室"


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level2: str
    name: str
    target: str  # as printed: ≥1200人, ≤650元/人·年, or the qualitative text
    points: Decimal


@dataclass(frozen=True)
class GoalTableData:
    """One 绩效目标表. Amounts in 元; for a department-wide goal only `total_amount`
    (its budget) is set and the project fields are empty."""

    scope: Scope
    year: int
    section: str
    department_code: str
    department_name: str
    parent_department: str  # 主管部门: the parent unit, else the unit itself
    project_code: str
    project_name: str
    kind: str
    start_year: int | None
    end_year: int | None
    fund_source: str
    fund_level: str
    functional_class: str
    total_amount: Decimal | None
    fiscal_amount: Decimal | None
    other_amount: Decimal | None
    overall_target: str
    long_term_target: str
    status: GoalStatus
    indicators: tuple[IndicatorLine, ...]
    execution_points: Decimal  # 预算执行率 row, from the rule set

    @property
    def indicator_points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))

    @property
    def total_points(self) -> Decimal:
        return self.indicator_points + self.execution_points


@dataclass(frozen=True)
class GoalBookData:
    """Every goal table of a year (or of one department), in book order: 股室, unit, code."""

    year: int
    org: OrgNames
    department_code: str | None  # None: the whole year
    department_name: str
    goals: tuple[GoalTableData, ...]
    projects_without_goal: int
    approved_only: bool
    left_out: int  # goals not yet approved, left out when approved_only


def goal_table_data(db: Database, year: int, project_code: str, rules: RuleSet) -> GoalTableData:
    """The 项目支出绩效目标表 of one project."""
    code = project_code.strip()
    with db.session() as session:
        year_id = fiscal_year_id(session, year)
        stmt = _goal_query(year_id, Scope.PROJECT).where(Project.code == code)
        rows = _load(session, rules, stmt, year)
        if not rows:
            _explain_missing_project(session, year_id, year, code)
    return rows[0]


def department_goal_table_data(
    db: Database, year: int, department_code: str, rules: RuleSet
) -> GoalTableData:
    """The 部门整体支出绩效目标表 of one unit."""
    code = department_code.strip()
    with db.session() as session:
        year_id = fiscal_year_id(session, year)
        _department(session, code)
        stmt = _goal_query(year_id, Scope.DEPARTMENT).where(Department.code == code)
        rows = _load(session, rules, stmt, year)
    if not rows:
        raise UserError(f"单位 {code} 没有{year}年的部门整体绩效目标")
    return rows[0]


def goal_book_data(
    db: Database,
    year: int,
    rules: RuleSet,
    department_code: str | None = None,
    approved_only: bool = False,
) -> GoalBookData:
    """All project goal tables of the year, or of one unit, for the bound book."""
    with db.session() as session:
        year_id = fiscal_year_id(session, year)
        org = org_names(session)
        stmt = _goal_query(year_id, Scope.PROJECT)
        projects = select(Project.id).where(
            Project.year_id == year_id, Project.deleted_at.is_(None)
        )
        name = ""
        if department_code is not None:
            dept = _department(session, department_code.strip())
            stmt = stmt.where(Department.id == dept.id)
            projects = projects.where(Project.department_id == dept.id)
            name = dept.name
        goals = _load(session, rules, stmt, year)
        project_count = len(session.scalars(projects).all())
    kept = [g for g in goals if g.status is GoalStatus.APPROVED] if approved_only else goals
    if not kept:
        where = f"单位 {department_code} " if department_code else ""
        what = "已通过审核的" if approved_only else ""
        raise UserError(f"{where}{year}年没有{what}项目绩效目标，无法生成目标汇编")
    return GoalBookData(
        year=year,
        org=org,
        department_code=department_code,
        department_name=name,
        goals=tuple(kept),
        projects_without_goal=project_count - len(goals),
        approved_only=approved_only,
        left_out=len(goals) - len(kept),
    )


# -- queries ------------------------------------------------------------------------------
def _goal_query(year_id: int, scope: Scope) -> Select:  # type: ignore[type-arg]
    parent = aliased(Department)
    stmt = (
        select(Goal, Project, Department, parent.name, Section.name)
        .join(Department, Goal.department_id == Department.id)
        .outerjoin(parent, Department.parent_id == parent.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(Goal.year_id == year_id, Goal.scope == scope.value, Goal.deleted_at.is_(None))
        .order_by(Section.id.is_(None), Section.sort_order, Section.code, Department.code)
    )
    if scope is Scope.PROJECT:
        stmt = stmt.join(Project, Goal.project_id == Project.id).where(Project.deleted_at.is_(None))
        return stmt.order_by(Project.code)
    return stmt.outerjoin(Project, Goal.project_id == Project.id)


def _load(
    session: Session,
    rules: RuleSet,
    stmt: Select,  # type: ignore[type-arg]
    year: int,
) -> list[GoalTableData]:
    rows = session.execute(stmt).all()
    lines = _indicator_lines(session, [goal.id for goal, *_ in rows])
    execution = rules.goals.execution_points
    return [
        _table_data(goal, project, dept, (parent, section), year, lines.get(goal.id, ()), execution)
        for goal, project, dept, parent, section in rows
    ]


def _indicator_lines(session: Session, goal_ids: list[int]) -> dict[int, tuple[IndicatorLine, ...]]:
    """Indicator rows of many goals, plain columns in chunks (SQLite limits bound values)."""
    found: dict[int, list[IndicatorLine]] = {}
    columns = (
        Indicator.goal_id,
        Indicator.level1,
        Indicator.level2,
        Indicator.name,
        Indicator.comparator,
        Indicator.target_value,
        Indicator.target_text,
        Indicator.unit,
        Indicator.points,
    )
    for chunk in _chunks(goal_ids, 500):
        stmt = (
            select(*columns)
            .where(Indicator.goal_id.in_(chunk))
            .order_by(Indicator.goal_id, Indicator.position)
        )
        for goal_id, l1, l2, name, comp, value, text, unit, points in session.execute(stmt):
            comparator = Comparator(comp) if comp else None
            target = format_target(comparator, value, unit, text)
            found.setdefault(goal_id, []).append(IndicatorLine(l1, l2, name, target, points))
    return {goal_id: tuple(lines) for goal_id, lines in found.items()}


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _table_data(
    goal: Goal,
    project: Project | None,
    dept: Department,
    names: tuple[str | None, str | None],
    year: int,
    lines: tuple[IndicatorLine, ...],
    execution_points: Decimal,
) -> GoalTableData:
    """`names` is (主管部门 name, 股室 name) as joined; a unit without a parent is its own."""
    p, (parent, section) = project, names
    return GoalTableData(
        scope=Scope(goal.scope),
        year=year,
        section=section or NO_SECTION,
        department_code=dept.code,
        department_name=dept.name,
        parent_department=parent or dept.name,
        project_code=p.code if p else "",
        project_name=p.name if p else f"{dept.name}部门整体支出",
        kind=p.kind if p else "",
        start_year=p.start_year if p else None,
        end_year=p.end_year if p else None,
        fund_source=p.fund_source if p else "",
        fund_level=p.fund_level if p else "",
        functional_class=p.functional_class if p else "",
        total_amount=p.total_amount if p else goal.budget_amount,
        fiscal_amount=p.fiscal_amount if p else None,
        other_amount=p.other_amount if p else None,
        overall_target=goal.overall_target,
        long_term_target=goal.long_term_target,
        status=GoalStatus(goal.status),
        indicators=lines,
        execution_points=execution_points,
    )


def _department(session: Session, code: str) -> Department:
    dept = session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise UserError(f"没有单位编码为“{code}”的预算单位")
    return dept


def _explain_missing_project(session: Session, year_id: int, year: int, code: str) -> None:
    project = session.scalar(
        select(Project).where(
            Project.year_id == year_id, Project.code == code, Project.deleted_at.is_(None)
        )
    )
    if project is None:
        raise UserError(f"{year}年没有项目编码为“{code}”的项目")
    raise UserError(f"项目 {code} 尚未填报{year}年绩效目标，无法生成绩效目标表")
