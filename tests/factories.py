"""Small, explicit test data built through the ORM (tests may arrange data directly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, GoalStatus, ProjectKind, Scope
from app.storage.models import Department, FiscalYear, Goal, Indicator, Project, Section

# A goal that passes every blocking check of the default rule set (90 points + 10 execution).
STANDARD_INDICATORS: tuple[tuple[str, str, str, Comparator, str | None, str, str], ...] = (
    ("产出指标", "数量指标", "补助学生人数", Comparator.GE, "1200", "人", "20"),
    ("产出指标", "质量指标", "资金发放准确率", Comparator.EQ, "100", "%", "10"),
    ("产出指标", "时效指标", "资金拨付及时率", Comparator.GE, "95", "%", "10"),
    ("产出指标", "成本指标", "生均补助标准", Comparator.LE, "650", "元/人·年", "10"),
    ("效益指标", "社会效益指标", "家庭经济困难学生资助覆盖率", Comparator.GE, "98", "%", "30"),
    ("满意度指标", "服务对象满意度指标", "受助学生满意度", Comparator.GE, "90", "%", "10"),
)


def year(session: Session, value: int) -> FiscalYear:
    found = session.scalar(select(FiscalYear).where(FiscalYear.year == value))
    if found is None:
        found = FiscalYear(year=value)
        session.add(found)
        session.flush()
    return found


def section(session: Session, name: str) -> Section:
    found = session.scalar(select(Section).where(Section.name == name))
    if found is None:
        order = (session.scalar(select(func.count(Section.id))) or 0) + 1
        found = Section(code=f"S{order:02d}", name=name, sort_order=order)
        session.add(found)
        session.flush()
    return found


def department(
    session: Session, code: str, name: str, section_name: str = "教科文股"
) -> Department:
    dept = Department(code=code, name=name, section=section(session, section_name))
    session.add(dept)
    session.flush()
    return dept


@dataclass
class ProjectSpec:
    code: str
    name: str = "农村义务教育学生营养改善计划"
    amount_yuan: Decimal = Decimal("1200000")
    kind: ProjectKind = ProjectKind.CONTINUING
    status: GoalStatus = GoalStatus.APPROVED
    overall_target: str = "保障全县农村义务教育学生营养餐供应，提高学生健康水平。"
    indicators: tuple = field(default_factory=lambda: STANDARD_INDICATORS)


def project_with_goal(
    session: Session, fiscal_year: FiscalYear, dept: Department, spec: ProjectSpec
) -> Project:
    """A project with its goal and indicators (default: the standard, valid goal)."""
    project = Project(
        year_id=fiscal_year.id,
        department_id=dept.id,
        code=spec.code,
        name=spec.name,
        kind=spec.kind.value,
        functional_class="2050202",
        start_year=fiscal_year.year,
        end_year=fiscal_year.year,
        total_amount=spec.amount_yuan,
        fiscal_amount=spec.amount_yuan,
        other_amount=Decimal(0),
    )
    session.add(project)
    session.flush()
    goal = Goal(
        scope=Scope.PROJECT.value,
        year_id=fiscal_year.id,
        department_id=dept.id,
        project_id=project.id,
        overall_target=spec.overall_target,
        status=spec.status.value,
    )
    goal.indicators = [
        Indicator(
            position=i,
            level1=l1,
            level2=l2,
            name=name,
            comparator=comp.value,
            target_value=None if target is None else Decimal(target),
            unit=unit,
            points=Decimal(points),
        )
        for i, (l1, l2, name, comp, target, unit, points) in enumerate(spec.indicators, start=1)
    ]
    session.add(goal)
    session.flush()
    return project


def small_county(
    session: Session, year_value: int = 2025, per_department: int = 3
) -> list[Project]:
    """Two sections, four departments, a few valid approved projects each."""
    fy = year(session, year_value)
    departments = [
        department(session, "219001", "县教育局", "教科文股"),
        department(session, "219002", "县卫生健康局", "教科文股"),
        department(session, "301001", "县农业农村局", "农业农村股"),
        department(session, "301002", "县水利局", "农业农村股"),
    ]
    projects = []
    for dept in departments:
        for n in range(1, per_department + 1):
            amount = Decimal(100000 * n * int(dept.code[-1]))
            spec = ProjectSpec(
                code=f"{dept.code}{n:03d}", name=f"{dept.name}项目{n}", amount_yuan=amount
            )
            projects.append(project_with_goal(session, fy, dept, spec))
    return projects


def monitoring_county(session: Session, year_value: int = 2025) -> list[Project]:
    """small_county with one project per department (approved), plus projects a monitoring
    round must leave out: a draft goal, a deleted project, and another year's project."""
    approved = small_county(session, year_value, per_department=1)
    fy = year(session, year_value)
    dept = approved[0].department
    project_with_goal(session, fy, dept, ProjectSpec(code="219001901", status=GoalStatus.SUBMITTED))
    deleted = project_with_goal(session, fy, dept, ProjectSpec(code="219001902"))
    deleted.deleted_at = datetime(year_value, 2, 1)
    project_with_goal(session, year(session, year_value - 1), dept, ProjectSpec(code="219001903"))
    session.flush()
    return approved


def self_evaluation(
    session: Session,
    project: Project,
    actuals: dict[str, Decimal | str] | None = None,
    claims: dict[str, Decimal | str] | None = None,
    *,
    spent: Decimal | None = None,
    claimed_total: Decimal | str | None = None,
    claimed_grade: str = "",
    reasons: dict[str, str] | None = None,
    stated_targets: dict[str, str] | None = None,
) -> int:
    """A self-evaluation of ``project`` against its goal's indicators (matched by name); its id.

    ``actuals`` maps an indicator name to 实际完成值 (default: the target, i.e. met; a
    qualitative indicator takes a band name); ``claims`` maps names to the claimed 得分
    (default: none claimed). Budget is the project amount; ``spent`` defaults to all of it.
    """
    from app.storage.models import SelfEvaluation, SelfEvaluationIndicator

    actuals, claims = actuals or {}, claims or {}
    budget = project.total_amount
    evaluation = SelfEvaluation(
        scope=Scope.PROJECT.value,
        year_id=project.year_id,
        department_id=project.department_id,
        project_id=project.id,
        initial_budget=budget,
        annual_budget=budget,
        spent=budget if spent is None else spent,
        claimed_total=None if claimed_total is None else Decimal(claimed_total),
        claimed_grade=claimed_grade,
    )
    goal = session.scalar(select(Goal).where(Goal.project_id == project.id))
    assert goal is not None, "the project needs a goal"
    for ind in goal.indicators:
        value = actuals.get(ind.name)
        qualitative = ind.comparator == Comparator.QUALITATIVE.value
        band = str(value) if qualitative and value is not None else ""
        actual = (
            None if qualitative else Decimal(str(value if value is not None else ind.target_value))
        )
        claim = claims.get(ind.name)
        evaluation.indicators.append(
            SelfEvaluationIndicator(
                indicator_id=ind.id,
                position=ind.position,
                level1=ind.level1,
                level2=ind.level2,
                name=ind.name,
                stated_target=(stated_targets or {}).get(ind.name, ""),
                actual_value=actual,
                qualitative_band=band,
                claimed_score=None if claim is None else Decimal(str(claim)),
                reason=(reasons or {}).get(ind.name, ""),
            )
        )
    session.add(evaluation)
    session.flush()
    return evaluation.id


def explain_budget_lamps(
    session: Session, category: str = "经费保障", reason: str = "上级资金下达较晚"
) -> None:
    """Give every monitoring entry (project and 部门整体) a budget-lamp 偏差原因, so a red or
    yellow budget lamp (nothing spent yet lights one on every entry) no longer keeps a round
    from closing."""
    from app.storage.models import DepartmentMonitoringEntry, MonitoringEntry

    entries = [*session.scalars(select(MonitoringEntry))]
    entries += session.scalars(select(DepartmentMonitoringEntry))
    for entry in entries:
        entry.budget_deviation_category = category
        entry.budget_deviation_reason = reason


# -- a province's rule set ----------------------------------------------------------------
# The standard goal re-weighted for province_rules_file: 产出 40 (not 50) + 效益 30 + 满意度 10,
# so with 执行率 20 points it adds up to 100 again.
_PROVINCE_POINTS = {"资金拨付及时率": "5", "生均补助标准": "5"}
PROVINCE_INDICATORS = tuple(
    (l1, l2, name, comp, target, unit, _PROVINCE_POINTS.get(name, points))
    for l1, l2, name, comp, target, unit, points in STANDARD_INDICATORS
)


def province_rules_file(folder: Path, name: str = "某省规则") -> Path:
    """A copy of the default rule file as a province might edit it: 执行率 20 points and
    产出 40, 优 from 85 points, budget lamps red below 75% and yellow below 90%."""
    from app.paths import default_rules_path

    text = default_rules_path().read_text(encoding="utf-8")
    changes = (
        ('name = "默认规则（全国通用）"', f'name = "{name}"'),
        ("execution_points = 10 ", "execution_points = 20 "),
        ('name = "产出指标"\npoints = 50', 'name = "产出指标"\npoints = 40'),
        ('"优" = 90', '"优" = 85'),
        ("budget_ratio_red = 0.6", "budget_ratio_red = 0.75"),
        ("budget_ratio_yellow = 0.8", "budget_ratio_yellow = 0.9"),
    )
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


DEPARTMENT_INDICATORS = (
    ("产出指标", "数量指标", "重点工作完成数", Comparator.GE, "12", "项", "30"),
    ("产出指标", "成本指标", "“三公”经费控制率", Comparator.LE, "100", "%", "20"),
    ("效益指标", "社会效益指标", "群众办事便利度", Comparator.QUALITATIVE, None, "", "30"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", Comparator.GE, "90", "%", "10"),
)


def department_goal(
    session: Session,
    fiscal_year: FiscalYear,
    dept: Department,
    budget_yuan: Decimal = Decimal("5000000"),
    status: GoalStatus = GoalStatus.APPROVED,
) -> Goal:
    """A department-wide goal (部门整体支出绩效目标) with four indicators."""
    goal = Goal(
        scope=Scope.DEPARTMENT.value,
        year_id=fiscal_year.id,
        department_id=dept.id,
        overall_target=f"{dept.name}全年履职目标。",
        budget_amount=budget_yuan,
        status=status.value,
    )
    goal.indicators = [
        Indicator(
            position=i,
            level1=l1,
            level2=l2,
            name=name,
            comparator=comp.value,
            target_value=None if target is None else Decimal(target),
            target_text="按期完成" if target is None else "",
            unit=unit,
            points=Decimal(points),
        )
        for i, (l1, l2, name, comp, target, unit, points) in enumerate(DEPARTMENT_INDICATORS, 1)
    ]
    session.add(goal)
    session.flush()
    return goal
