"""Figures of the annual report to the 人大 (预算绩效管理工作情况报告), from the database.

Every figure comes from a service or a query here; a part of the year's work that has no
data yet (no monitoring round, no sample, no results) is None, and the document says so
instead of printing a made-up number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Grade, Scope
from app.domain.lamps import execution_rate
from app.domain.money import round2
from app.domain.pre_assessment import AssessmentSummary
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rectification import Status
from app.domain.rules import RuleSet
from app.services.assessment.records import assessment_summary
from app.services.common import live
from app.services.disclosure.records import disclosure_records
from app.services.evaluation import ProjectScore, score_year
from app.services.key_evaluation import KeyEvaluationSummary, key_evaluation_summary
from app.services.monitoring import Dashboard, dashboard
from app.services.rectification import ledger_counts
from app.services.reports.common import OrgNames, org_names
from app.services.results.records import results_by_department
from app.services.spotcheck import review_list, sample_summary
from app.storage.database import Database
from app.storage.models import Goal, GoalRevision, Indicator, Project

GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR)
NO_SECTION = "未分配股室"


@dataclass(frozen=True)
class GoalFigures:
    """Approved (已通过) goals count as 批复; amounts in 元."""

    projects: int  # live projects of the year
    project_goals: int
    project_amount: Decimal
    department_goals: int
    department_amount: Decimal
    indicators: int  # indicators of the approved goals
    pending_goals: int  # project goals not approved yet
    returned_goals: int  # goals returned for revision at least once

    @property
    def coverage(self) -> Decimal | None:
        return None if not self.projects else Decimal(self.project_goals) / self.projects


@dataclass(frozen=True)
class RoundFigures:
    month: int
    projects: int
    execution_rate: Decimal | None
    time_progress: Decimal
    red: int
    yellow: int
    green: int
    blue: int


@dataclass(frozen=True)
class SectionExecution:
    section: str
    budget: Decimal
    spent: Decimal
    rate: Decimal | None


@dataclass(frozen=True)
class MonitoringFigures:
    rounds: tuple[RoundFigures, ...]  # by month
    sections: tuple[SectionExecution, ...]  # the latest round, by 股室

    @property
    def latest(self) -> RoundFigures:
        return self.rounds[-1]


@dataclass(frozen=True)
class SectionGrades:
    section: str
    count: int
    grades: tuple[int, int, int, int]  # 优 良 中 差


@dataclass(frozen=True)
class EvaluationFigures:
    """Project self-evaluations graded by the rule set; department-wide ones counted."""

    project_count: int
    department_count: int
    grades: tuple[int, int, int, int]  # 优 良 中 差 of the project evaluations
    average: Decimal  # mean rule total of the project evaluations, 2 places
    sections: tuple[SectionGrades, ...]


@dataclass(frozen=True)
class SectionSample:
    section: str
    population: int
    drawn: int

    @property
    def share(self) -> Decimal | None:
        return None if not self.population else Decimal(self.drawn) / self.population


@dataclass(frozen=True)
class SampleFigures:
    ratio: Decimal  # the rule's minimum share
    sections: tuple[SectionSample, ...]
    reviewed: int
    grade_changed: int
    inflated: int

    @property
    def population(self) -> int:
        return sum(s.population for s in self.sections)

    @property
    def drawn(self) -> int:
        return sum(s.drawn for s in self.sections)

    @property
    def share(self) -> Decimal | None:
        return None if not self.population else Decimal(self.drawn) / self.population


@dataclass(frozen=True)
class DepartmentCut:
    department: str
    projects: int
    cut: Decimal


@dataclass(frozen=True)
class ResultFigures:
    listed: int  # projects on the results list
    cut_projects: int  # projects with a proposed cut
    proposed_cut: Decimal
    departments: tuple[DepartmentCut, ...]  # units with a proposed cut, largest first


@dataclass(frozen=True)
class RectificationFigures:
    items: int  # 整改 items in the ledger
    done: int
    in_progress: int
    open: int  # neither answered nor closed
    overdue: int  # unclosed past their deadline on the report's date


@dataclass(frozen=True)
class DisclosureFigures:
    units: int  # units whose tables were published
    goal_tables: int  # in each unit's latest publication
    evaluation_tables: int


@dataclass(frozen=True)
class AnnualReportData:
    year: int
    org: OrgNames
    goals: GoalFigures
    assessment: AssessmentSummary | None
    monitoring: MonitoringFigures | None
    evaluation: EvaluationFigures | None
    sample: SampleFigures | None
    results: ResultFigures | None
    key_evaluation: KeyEvaluationSummary | None = None
    rectification: RectificationFigures | None = None
    disclosure: DisclosureFigures | None = None


def annual_report_data(
    db: Database,
    year: int,
    rules: RuleSet,
    progress: Progress = NO_PROGRESS,
    today: date | None = None,
) -> AnnualReportData:
    """Read every figure of the report; the slow parts (lamps, scores) report progress.
    Overdue 整改 items are counted as of `today` (the report's date)."""
    progress.step(0, 5, "正在统计绩效目标…")
    with db.session() as session:
        year_id = live.require_year_id(session, year)
        org = org_names(session)
        goals = goal_figures(session, year_id)
    summary = assessment_summary(db, year)
    progress.step(1, 5, "正在统计绩效监控…")
    monitoring = monitoring_figures(dashboard(db, year, rules))
    progress.step(2, 5, "正在计算绩效自评得分…")
    evaluation = evaluation_figures(score_year(db, year, rules))
    progress.step(3, 5, "正在统计抽查复核…")
    sample = sample_figures(db, year, rules)
    progress.step(4, 5, "正在统计结果应用…")
    results = result_figures(db, year)
    key = key_evaluation_summary(db, year, rules)
    return AnnualReportData(
        year=year,
        org=org,
        goals=goals,
        assessment=summary if summary.count else None,
        monitoring=monitoring,
        evaluation=evaluation,
        sample=sample,
        results=results,
        key_evaluation=key if key.count else None,
        rectification=rectification_figures(db, year, today or date.today()),
        disclosure=disclosure_figures(db, year),
    )


def goal_figures(session: Session, year_id: int) -> GoalFigures:
    year_goals = (Goal.year_id == year_id, *live.only(Goal))
    approved = (*year_goals, Goal.status == GoalStatus.APPROVED.value)
    project_goal = (Goal.scope == Scope.PROJECT.value, *live.only(Project))
    count, amount = session.execute(
        select(func.count(Goal.id), func.sum(Project.total_amount))
        .join(Project, Goal.project_id == Project.id)
        .where(*approved, *project_goal)
    ).one()
    dept_count, dept_amount = session.execute(
        select(func.count(Goal.id), func.sum(Goal.budget_amount)).where(
            *approved, Goal.scope == Scope.DEPARTMENT.value
        )
    ).one()
    all_project_goals = session.scalar(
        select(func.count(Goal.id))
        .join(Project, Goal.project_id == Project.id)
        .where(*year_goals, *project_goal)
    )
    indicators = session.scalar(
        select(func.count(Indicator.id))
        .join(Goal, Indicator.goal_id == Goal.id)
        .outerjoin(Project, Goal.project_id == Project.id)
        .where(*approved, live.or_missing(Project))
    )
    # Returned at least once: a revision says so, or the goal is still 已退回 (imported).
    ever_returned = select(GoalRevision.goal_id).where(
        GoalRevision.status_to == GoalStatus.RETURNED.value
    )
    returned = session.scalar(
        select(func.count(Goal.id)).where(
            *year_goals,
            (Goal.status == GoalStatus.RETURNED.value) | Goal.id.in_(ever_returned),
        )
    )
    projects = session.scalar(
        select(func.count(Project.id)).where(Project.year_id == year_id, *live.only(Project))
    )
    return GoalFigures(
        projects=projects or 0,
        project_goals=count or 0,
        project_amount=_yuan(amount),
        department_goals=dept_count or 0,
        department_amount=_yuan(dept_amount),
        indicators=indicators or 0,
        pending_goals=(all_project_goals or 0) - (count or 0),
        returned_goals=returned or 0,
    )


def _yuan(total: Decimal | None) -> Decimal:
    """func.sum keeps the Money type (元); it is NULL over no rows."""
    return Decimal(0) if total is None else Decimal(total)


def monitoring_figures(board: Dashboard) -> MonitoringFigures | None:
    if not board.trend:
        return None
    rounds = tuple(
        RoundFigures(
            month=t.month,
            projects=t.lamps.total,
            execution_rate=t.execution_rate,
            time_progress=t.time_progress,
            red=t.lamps.red,
            yellow=t.lamps.yellow,
            green=t.lamps.green,
            blue=t.lamps.blue,
        )
        for t in board.trend
    )
    budgets: dict[str, tuple[Decimal, Decimal]] = {}
    for d in board.departments:
        budget, spent = budgets.get(d.section, (Decimal(0), Decimal(0)))
        budgets[d.section] = (budget + d.budget, spent + d.spent)
    sections = tuple(
        SectionExecution(name, budget, spent, execution_rate(budget, spent))
        for name, (budget, spent) in budgets.items()
    )
    return MonitoringFigures(rounds, sections)


def evaluation_figures(scores: Iterable[ProjectScore]) -> EvaluationFigures | None:
    scores = list(scores)
    if not scores:
        return None
    projects = [s for s in scores if s.scope == Scope.PROJECT.value]
    by_section: dict[str, list[ProjectScore]] = {}
    for s in projects:
        by_section.setdefault(s.section or NO_SECTION, []).append(s)
    total = sum((s.total for s in projects), Decimal(0))
    return EvaluationFigures(
        project_count=len(projects),
        department_count=len(scores) - len(projects),
        grades=_grade_counts(projects),
        average=round2(total / len(projects)) if projects else Decimal(0),
        sections=tuple(
            SectionGrades(name, len(items), _grade_counts(items))
            for name, items in by_section.items()
        ),
    )


def _grade_counts(scores: Iterable[ProjectScore]) -> tuple[int, int, int, int]:
    counts = Counter(s.grade for s in scores)
    excellent, good, fair, poor = (counts.get(g, 0) for g in GRADES)
    return excellent, good, fair, poor


def sample_figures(db: Database, year: int, rules: RuleSet) -> SampleFigures | None:
    drawn = sample_summary(db, year)
    if drawn is None:
        return None
    reviews = review_list(db, year, rules)
    rows = reviews.rows if reviews is not None else ()
    return SampleFigures(
        ratio=drawn.ratio,
        sections=tuple(SectionSample(s.section, s.population, s.drawn) for s in drawn.sections),
        reviewed=sum(r.review_total is not None for r in rows),
        grade_changed=sum(r.grade_changed for r in rows),
        inflated=sum(r.inflated for r in rows),
    )


def result_figures(db: Database, year: int) -> ResultFigures | None:
    departments = results_by_department(db, year)
    if not departments:
        return None
    cuts = [
        DepartmentCut(d.department, sum(r.proposed_cut > 0 for r in d.rows), d.proposed_cut)
        for d in departments
        if d.proposed_cut > 0
    ]
    cuts.sort(key=lambda c: (-c.cut, c.department))
    return ResultFigures(
        listed=sum(len(d.rows) for d in departments),
        cut_projects=sum(c.projects for c in cuts),
        proposed_cut=sum((c.cut for c in cuts), Decimal(0)),
        departments=tuple(cuts),
    )


def rectification_figures(db: Database, year: int, today: date) -> RectificationFigures | None:
    counts = ledger_counts(db, year, today)
    if not counts.items:
        return None
    return RectificationFigures(
        items=counts.items,
        done=counts.stored[Status.DONE.value],
        in_progress=counts.stored[Status.IN_PROGRESS.value],
        open=counts.stored[Status.OPEN.value],
        overdue=counts.overdue,
    )


def disclosure_figures(db: Database, year: int) -> DisclosureFigures | None:
    latest: dict[str, tuple[int, int]] = {}
    for r in disclosure_records(db, year):  # newest first: a unit's first row is its latest
        latest.setdefault(r.department_code, (r.goal_tables, r.evaluation_tables))
    if not latest:
        return None
    return DisclosureFigures(
        units=len(latest),
        goal_tables=sum(g for g, _ in latest.values()),
        evaluation_tables=sum(e for _, e in latest.values()),
    )
