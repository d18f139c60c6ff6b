"""Between stored goals and the plain data of the editor: loading, detail, checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, ProjectKind, Scope
from app.domain.errors import Problem, UserError
from app.domain.goal_checks import GoalDraft, IndicatorDraft, check_goal, goal_text_index
from app.domain.money import round2
from app.domain.rules import RuleSet
from app.services.goals.types import (
    GoalDetail,
    GoalEdit,
    IndicatorRow,
    ReturnCommentRow,
    RevisionRow,
    goal_label,
)
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    GoalRevision,
    Indicator,
    Project,
    ReturnComment,
)

FUND_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算")
FUND_LEVELS = ("本级", "上级转移支付")
FUNCTIONAL_CLASS_LENGTHS = (3, 5, 7)  # 类 / 款 / 项

# Column widths of the schema: longer text would be cut or refused by PostgreSQL.
HEADER_LIMITS = (("项目名称", "project_name", 200),)
INDICATOR_LIMITS = (
    ("一级指标", "level1", 20),
    ("二级指标", "level2", 30),
    ("三级指标", "name", 200),
    ("指标值", "target_text", 200),
    ("计量单位", "unit", 30),
    ("标准来源", "standard_source", 20),
)


def get_goal(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or goal.deleted_at is not None:
        raise UserError(f"绩效目标（编号 {goal_id}）不存在或已删除")
    return goal


def codes_of(goal: Goal) -> tuple[str, str]:
    """(department_code, project_code); the project code is "" for a department goal."""
    return goal.department.code, goal.project.code if goal.project is not None else ""


def label_of(goal: Goal) -> str:
    department_code, project_code = codes_of(goal)
    return goal_label(Scope(goal.scope), project_code, department_code)


def indicator_rows(goal: Goal) -> tuple[IndicatorRow, ...]:
    return tuple(
        IndicatorRow(
            level1=i.level1,
            level2=i.level2,
            name=i.name,
            comparator=Comparator(i.comparator) if i.comparator else None,
            target=i.target_value,
            target_text=i.target_text,
            unit=i.unit,
            points=i.points,
            explanation=i.explanation,
            standard_source=i.standard_source,
            library_indicator_id=i.library_indicator_id,
            id=i.id,
        )
        for i in goal.indicators
    )


def stored_edit(goal: Goal) -> GoalEdit:
    """The stored content in the editor's shape, for checks at submit and approval."""
    p = goal.project
    if p is None:
        return GoalEdit(
            overall_target=goal.overall_target,
            indicators=indicator_rows(goal),
            long_term_target=goal.long_term_target,
            budget_amount=goal.budget_amount,
        )
    return GoalEdit(
        overall_target=goal.overall_target,
        indicators=indicator_rows(goal),
        long_term_target=goal.long_term_target,
        project_name=p.name,
        kind=ProjectKind(p.kind),
        fund_source=p.fund_source,
        fund_level=p.fund_level,
        functional_class=p.functional_class,
        start_year=p.start_year,
        end_year=p.end_year,
        total_amount=p.total_amount,
        fiscal_amount=p.fiscal_amount,
        other_amount=p.other_amount,
    )


def to_draft(edit: GoalEdit, scope: Scope, department_code: str, project_code: str) -> GoalDraft:
    amounts: tuple[Decimal | None, Decimal | None, Decimal | None]
    if scope is Scope.DEPARTMENT:
        # A department-wide goal has one money figure: the budget is its whole funding.
        amounts = (edit.budget_amount, edit.budget_amount, Decimal(0))
    else:
        amounts = (edit.total_amount, edit.fiscal_amount, edit.other_amount)
    return GoalDraft(
        scope=scope,
        overall_target=edit.overall_target,
        total_amount=amounts[0],
        fiscal_amount=amounts[1],
        other_amount=amounts[2],
        indicators=tuple(draft_row(r) for r in edit.indicators),
        department_code=department_code,
        project_code=project_code,
    )


def draft_row(row: IndicatorRow) -> IndicatorDraft:
    return IndicatorDraft(
        level1=row.level1,
        level2=row.level2,
        name=row.name,
        comparator=row.comparator,
        target=row.target,
        target_text=row.target_text,
        unit=row.unit,
        points=row.points,
        explanation=row.explanation,
    )


def edit_problems(
    edit: GoalEdit,
    rules: RuleSet,
    scope: Scope,
    codes: tuple[str, str],
    other_goal_texts: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[Problem]:
    """Every problem of an edit: the domain's goal checks plus the project header's.
    `codes` is (department_code, project_code)."""
    problems = check_goal(to_draft(edit, scope, *codes), rules, other_goal_texts)
    if scope is Scope.PROJECT:
        problems += _header_problems(edit)
    return problems


def _header_problems(edit: GoalEdit) -> list[Problem]:
    problems = []
    if not edit.project_name.strip():
        problems.append(Problem("项目名称未填写", column="项目名称"))
    if edit.fund_source not in FUND_SOURCES:
        choices = "、".join(FUND_SOURCES)
        problems.append(
            Problem(f"资金来源“{edit.fund_source}”应为{choices}之一", column="资金来源")
        )
    if edit.fund_level not in FUND_LEVELS:
        problems.append(
            Problem(f"资金级次“{edit.fund_level}”应为本级或上级转移支付", column="资金来源")
        )
    code = edit.functional_class.strip()
    if not code:
        problems.append(Problem("功能分类科目未填写", column="功能分类科目", blocking=False))
    elif not (code.isascii() and code.isdigit() and len(code) in FUNCTIONAL_CLASS_LENGTHS):
        problems.append(
            Problem(f"功能分类科目“{code}”应为 3、5 或 7 位数字", column="功能分类科目")
        )
    if edit.start_year is None or edit.end_year is None:
        problems.append(Problem("实施期未填写完整", column="实施期", blocking=False))
    elif edit.start_year > edit.end_year:
        problems.append(
            Problem(
                f"实施期结束年度 {edit.end_year} 早于开始年度 {edit.start_year}", column="实施期"
            )
        )
    return problems


def storage_problems(edit: GoalEdit) -> list[Problem]:
    """Values the database cannot hold as given; saving is refused rather than cutting them."""
    problems = [
        Problem(f"{column}超过 {limit} 个字", column=column)
        for column, attr, limit in HEADER_LIMITS
        if len(getattr(edit, attr)) > limit
    ]
    for column, amount in (
        ("资金总额", edit.total_amount),
        ("财政拨款", edit.fiscal_amount),
        ("其他资金", edit.other_amount),
        ("部门整体预算", edit.budget_amount),
    ):
        if amount is not None and amount != round2(amount):
            problems.append(Problem(f"{column}最多保留两位小数（元）", column=column))
    for number, row in enumerate(edit.indicators, start=1):
        problems += [
            Problem(f"{column}超过 {limit} 个字", row=number, column=column)
            for column, attr, limit in INDICATOR_LIMITS
            if len(getattr(row, attr)) > limit
        ]
        if row.points is not None and row.points != round2(row.points):
            problems.append(Problem("分值最多保留两位小数", row=number, column="分值"))
    return problems


def year_text_index(session: Session, year_id: int) -> dict[str, list[tuple[str, str]]]:
    """The copy-check index over every project goal of a year, in one query."""
    stmt = (
        select(Department.code, Project.code, Goal.overall_target)
        .join(Project, Goal.project_id == Project.id)
        .join(Department, Goal.department_id == Department.id)
        .where(
            Goal.year_id == year_id,
            Goal.scope == Scope.PROJECT.value,
            Goal.deleted_at.is_(None),
            Project.deleted_at.is_(None),
        )
    )
    return goal_text_index([(d, p, t) for d, p, t in session.execute(stmt)])


def to_detail(session: Session, goal: Goal) -> GoalDetail:
    project, dept = goal.project, goal.department
    parent = dept.parent or dept
    return GoalDetail(
        id=goal.id,
        scope=Scope(goal.scope),
        year=session.get_one(FiscalYear, goal.year_id).year,
        department_id=dept.id,
        department_code=dept.code,
        department_name=dept.name,
        parent_department=parent.name,
        project_id=project.id if project else None,
        project_code=project.code if project else "",
        project_name=project.name if project else "",
        kind=ProjectKind(project.kind) if project else None,
        fund_source=project.fund_source if project else "",
        fund_level=project.fund_level if project else "",
        functional_class=project.functional_class if project else "",
        start_year=project.start_year if project else None,
        end_year=project.end_year if project else None,
        total_amount=project.total_amount if project else None,
        fiscal_amount=project.fiscal_amount if project else None,
        other_amount=project.other_amount if project else None,
        budget_amount=goal.budget_amount,
        overall_target=goal.overall_target,
        long_term_target=goal.long_term_target,
        status=GoalStatus(goal.status),
        revision=goal.revision,
        submitted_at=goal.submitted_at,
        reviewed_at=goal.reviewed_at,
        reviewer=goal.reviewer,
        return_reason=goal.return_reason,
        indicators=indicator_rows(goal),
        return_comments=_latest_comments(session, goal),
        history=tuple(revision_rows(session, goal.id)),
    )


def _latest_comments(session: Session, goal: Goal) -> tuple[ReturnCommentRow, ...]:
    comments = list(
        session.scalars(
            select(ReturnComment)
            .where(ReturnComment.goal_id == goal.id)
            .order_by(ReturnComment.revision.desc(), ReturnComment.id)
        )
    )
    if not comments:
        return ()
    latest = comments[0].revision
    rows = {ind.id: (ind.position, ind.name) for ind in goal.indicators}
    result = []
    for c in comments:
        if c.revision != latest:
            break
        row, name = rows.get(c.indicator_id, (None, "")) if c.indicator_id else (None, "")
        result.append(ReturnCommentRow(c.revision, c.indicator_id, row, name, c.text))
    return tuple(result)


def revision_rows(session: Session, goal_id: int) -> list[RevisionRow]:
    stmt = select(GoalRevision).where(GoalRevision.goal_id == goal_id).order_by(GoalRevision.id)
    return [
        RevisionRow(r.revision, r.status_from, r.status_to, r.actor, r.at, r.reason, r.changes)
        for r in session.scalars(stmt)
    ]


def indicator_from_row(row: IndicatorRow, position: int, target: Indicator | None) -> Indicator:
    """Write a grid row into an existing indicator (keeping its id) or a new one.
    Blank 分值 is stored as 0 and a blank 指标性质 as "" (both columns are NOT NULL)."""
    ind = target or Indicator()
    ind.position = position
    ind.level1 = row.level1.strip()
    ind.level2 = row.level2.strip()
    ind.name = row.name.strip()
    ind.comparator = row.comparator.value if row.comparator else ""
    ind.target_value = row.target
    ind.target_text = row.target_text.strip()
    ind.unit = row.unit.strip()
    ind.points = row.points if row.points is not None else Decimal(0)
    ind.explanation = row.explanation
    ind.standard_source = row.standard_source
    ind.library_indicator_id = row.library_indicator_id
    return ind
