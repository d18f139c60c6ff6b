"""Build the demo county: two complete years of goals, monitoring and self-evaluations.

Everything is planned in memory first with one seeded random generator drawn in a fixed
order, then written with bulk inserts carrying precomputed ids, in one transaction.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus
from app.domain.errors import UserError
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path
from app.services.demo.assessment import plan_assessments
from app.services.demo.bureau import add_bureau_work
from app.services.demo.department_monitoring import add_department_rounds
from app.services.demo.evaluation import add_evaluations
from app.services.demo.goals import (
    add_flaws,
    plan_department_goals,
    plan_project_goals,
    write_goals,
)
from app.services.demo.history import follow_last_year, vary_spellings
from app.services.demo.indicators import Vocabulary
from app.services.demo.monitoring import add_rounds
from app.services.demo.org import add_departments, add_sections, fiscal_year_ids, write_settings
from app.services.demo.outcomes import decide_outcomes
from app.services.demo.plan import GoalPlan, Rows
from app.services.demo.projects import plan_projects
from app.services.demo.vocab import County, load_county, load_texts, select_departments
from app.services.library.records import (
    LibraryEntry,
    add_missing_entries,
    default_library_path,
    read_library,
)
from app.storage.database import Database
from app.storage.ids import IdSource
from app.storage.models import (
    Department,
    DepartmentMonitoringEntry,
    DepartmentMonitoringIndicator,
    FiscalYear,
    Goal,
    Indicator,
    LibraryIndicator,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    PreAssessment,
    Project,
    ReturnComment,
    Section,
    SelfEvaluation,
    SelfEvaluationIndicator,
)

# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER = [
    FiscalYear,
    Section,
    Department,
    Project,
    Goal,
    Indicator,
    ReturnComment,
    PreAssessment,
    MonitoringRound,
    MonitoringEntry,
    MonitoringIndicator,
    DepartmentMonitoringEntry,
    DepartmentMonitoringIndicator,
    SelfEvaluation,
    SelfEvaluationIndicator,
]
PLANNING_STEPS = 6
MAX_SCALE = 5.0


@dataclass(frozen=True)
class DemoSummary:
    county: str
    years: tuple[int, int]
    sections: int
    departments: int
    projects: int
    goals: int
    indicators: int
    flawed_goals: int
    pre_assessments: int
    monitoring_rounds: int
    monitoring_entries: int
    department_monitoring_entries: int
    self_evaluations: int
    library_added: int
    key_evaluations: int
    rectification_items: int
    disclosure_records: int
    elapsed_seconds: float


# What the progress dialog names while each table is written.
TABLE_LABELS = {
    "fiscal_years": "年度",
    "sections": "股室",
    "departments": "预算单位",
    "library_indicators": "指标库",
    "projects": "项目",
    "goals": "绩效目标",
    "indicators": "绩效指标",
    "return_comments": "退回意见",
    "pre_assessments": "事前绩效评估",
    "monitoring_rounds": "监控轮次",
    "monitoring_entries": "项目监控记录",
    "monitoring_indicators": "指标监控记录",
    "monitoring_department_entries": "部门整体监控记录",
    "monitoring_department_indicators": "部门整体指标监控记录",
    "self_evaluations": "绩效自评",
    "self_evaluation_indicators": "自评指标",
    "settings": "设置",
}


def build_demo(
    db: Database,
    *,
    year: int = 2025,
    seed: int = 1,
    scale: float = 1.0,
    progress: Progress = NO_PROGRESS,
) -> DemoSummary:
    """Fill an empty database with the demo county for `year - 1` and `year`."""
    if not 0 < scale <= MAX_SCALE:
        raise UserError(
            f"示例数据规模应在 0 到 {MAX_SCALE:g} 之间（1 表示一个县的实际规模），实际为 {scale}。"
        )
    started = time.perf_counter()
    # On purpose not the database's active rule set: the demo county's goals and forms are
    # written for the default layout (执行率 10 + 产出 50 + 效益 30 + 满意度 10), which the
    # planner relies on. A province rule set chosen in 设置 re-scores the demo like real data.
    rules = load_rule_set(default_rules_path())
    county, texts = load_county(), load_texts()
    library = read_library(default_library_path())
    years = (year - 1, year)
    with db.transaction() as session:
        _refuse_if_filled(session, years)
        library_added = add_missing_entries(session, library)
        rows = Rows(IdSource(session))
        flawed = _plan(
            session,
            rows,
            (random.Random(seed), random.Random(f"history-{seed}")),
            rules,
            county,
            texts,
            library,
            years,
            scale,
            progress,
        )
        total = PLANNING_STEPS + len(INSERT_ORDER)
        rows.insert_all(
            session,
            INSERT_ORDER,
            lambda i, name: progress.step(
                PLANNING_STEPS + i, total, f"正在写入{TABLE_LABELS.get(name, '数据')}"
            ),
        )
        write_settings(session, county)
    progress.step(total, total + 1, "正在生成重点评价、整改台账和公开记录")
    bureau = add_bureau_work(db, year, seed, rules)
    progress.step(1, 1, "示例数据已生成")
    return DemoSummary(
        county=county.name,
        years=years,
        sections=rows.count(Section),
        departments=rows.count(Department),
        projects=rows.count(Project),
        goals=rows.count(Goal),
        indicators=rows.count(Indicator),
        flawed_goals=flawed,
        pre_assessments=rows.count(PreAssessment),
        monitoring_rounds=rows.count(MonitoringRound),
        monitoring_entries=rows.count(MonitoringEntry),
        department_monitoring_entries=rows.count(DepartmentMonitoringEntry),
        self_evaluations=rows.count(SelfEvaluation),
        library_added=library_added,
        key_evaluations=bureau["key_evaluations"],
        rectification_items=bureau["rectification_items"],
        disclosure_records=bureau["disclosure_records"],
        elapsed_seconds=round(time.perf_counter() - started, 2),
    )


def _plan(
    session: Session,
    rows: Rows,
    rngs: tuple[random.Random, random.Random],
    rules: RuleSet,
    county: County,
    texts: dict[str, Any],
    library: list[LibraryEntry],
    years: tuple[int, int],
    scale: float,
    progress: Progress,
) -> int:
    """Plan every row in a fixed order of random draws; returns the number of flawed goals.

    The second generator only picks which continuing projects keep last year's targets,
    so those picks do not move the draws of everything else."""
    rng, history_rng = rngs
    steps = PLANNING_STEPS + len(INSERT_ORDER)
    current = years[1]
    progress.step(0, steps, "正在生成单位和股室")
    year_ids = fiscal_year_ids(session, rows, list(years))
    departments = select_departments(county, scale)
    department_ids = add_departments(rows, departments, add_sections(rows, county))
    progress.step(1, steps, "正在生成项目")
    projects = plan_projects(rng, rows, county, departments, department_ids, year_ids, scale)
    progress.step(2, steps, "正在生成绩效目标")
    ids = _library_ids(session)
    vocab = Vocabulary.build([(e, ids[e.key]) for e in library], texts["targets"])
    goals: dict[int, list[GoalPlan]] = {}
    department_goals: dict[int, list[GoalPlan]] = {}
    for y in years:
        goals[y] = plan_project_goals(rng, rows, rules.goals, vocab, projects[y], current)
        department_goals[y] = plan_department_goals(
            rng,
            rows,
            rules.goals,
            vocab,
            departments,
            department_ids,
            projects[y],
            y,
            year_ids[y],
        )
    flawed = add_flaws(rng, goals[current], rules.goals, scale)
    progress.step(3, steps, "正在生成事前绩效评估")
    for y in years:
        plan_assessments(rng, rows, goals[y], rules.pre_assessment, texts, current)
    progress.step(4, steps, "正在生成运行监控")
    approved = {y: [g for g in goals[y] if g.status == GoalStatus.APPROVED] for y in years}
    for y in years:
        if y == current:  # last year's results are known now: continuing targets follow them
            vary_spellings(history_rng, goals[y - 1])
            follow_last_year(history_rng, goals[y - 1], goals[y], scale)
        for goal in approved[y]:
            decide_outcomes(rng, goal)
        round_ids, paths = add_rounds(
            rng,
            rows,
            approved[y],
            rules.monitoring,
            y,
            year_ids[y],
            texts,
            rules.goals.within_target_classes,
        )
        add_department_rounds(
            rng,
            rows,
            department_goals[y],
            approved[y],
            paths,
            round_ids,
            rules.monitoring,
            texts,
            rules.goals.within_target_classes,
        )
    progress.step(5, steps, "正在生成绩效自评")
    staff = {s.name: s.staff for s in county.sections}
    for y in years:
        write_goals(rng, rows, goals[y] + department_goals[y], texts, staff)
        evaluated = approved[y] + _department_sample(rng, department_goals[y], county)
        add_evaluations(rng, rows, evaluated, rules, texts)
    return flawed


def _department_sample(rng: random.Random, goals: list[GoalPlan], county: County) -> list[GoalPlan]:
    """2-3 departments per section send a 部门整体 self-evaluation (outcomes and year-end
    money as monitoring decided them)."""
    chosen = []
    for section in county.sections:
        candidates = [
            g
            for g in goals
            if g.department.section == section.name and g.status == GoalStatus.APPROVED
        ]
        chosen += rng.sample(candidates, min(len(candidates), rng.randint(2, 3)))
    return chosen


def _library_ids(session: Session) -> dict[tuple[str, str, str, str], int]:
    query = select(
        LibraryIndicator.level1,
        LibraryIndicator.level2,
        LibraryIndicator.name,
        LibraryIndicator.field,
        LibraryIndicator.id,
    )
    return {(l1, l2, name, field): i for l1, l2, name, field, i in session.execute(query)}


def _refuse_if_filled(session: Session, years: tuple[int, int]) -> None:
    year_ids = select(FiscalYear.id).where(FiscalYear.year.in_(years))
    for model in (Project, Goal, MonitoringRound, SelfEvaluation):
        count = session.scalar(
            select(func.count()).select_from(model).where(model.year_id.in_(year_ids))
        )
        if count:
            raise UserError(
                f"数据库中已有 {years[0]} 年或 {years[1]} 年的数据，不能再生成示例数据。"
                "请新建一个空数据库后再生成。"
            )
    if session.scalar(select(func.count()).select_from(Department)) or session.scalar(
        select(func.count()).select_from(Section)
    ):
        raise UserError(
            "数据库中已有预算单位或股室设置，示例数据只能生成到空数据库中，请新建数据库后再生成。"
        )
