"""The demo county's own bureau work for the current year: 财政重点评价 (10 department-wide,
11 policy/project at full scale), the 整改 ledger generated from the year's findings with
items in every state, and a 公开 pack record per unit.

Written after the main demo transaction (the findings are read through the services), with
its own random generator, so the rest of the demo is the same as before this was added.
Nothing here is audited, like the rest of the demo. Dates are fixed by the year, never
today's date; 逾期 items have a deadline early in the next year, the open ones years ahead.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import GoalStatus, Scope
from app.domain.key_evaluation import ObjectKind
from app.domain.money import round2
from app.domain.rectification import Status
from app.domain.rules import RuleSet
from app.services.key_evaluation.framework import load_template
from app.services.rectification.findings import Finding, year_findings
from app.storage.database import Database
from app.storage.models import (
    Department,
    DisclosureRecord,
    FiscalYear,
    Goal,
    KeyEvaluation,
    KeyEvaluationItem,
    Project,
    RectificationItem,
    SelfEvaluation,
)

DEPARTMENT_WIDE, PROJECTS = 10, 6  # and one evaluation per policy below
AGENCIES = ("示例会计师事务所有限公司", "示例工程咨询有限公司", "示例资产评估有限公司")
TEAMS = ("张伟、李娜、王强", "刘洋、陈静、杨帆", "赵磊、周敏、吴刚")
# Each policy with a word of the unit that runs it (the largest project there funds it).
POLICIES_BY_UNIT = (
    ("城乡居民基本医疗保险财政补助政策", "医疗保障"), ("耕地地力保护补贴政策", "农业农村"),
    ("学前教育资助政策", "教育"), ("就业创业补贴政策", "人力资源"),
    ("农村危房改造补助政策", "住房和城乡建设"),
)  # fmt: skip
PROBLEMS = (
    "绩效目标设置不够细化，部分指标无法衡量", "预算执行进度偏慢，年底突击支出",
    "资金拨付不及时，影响项目实施进度", "项目验收资料不完整，部分支出依据不足",
    "满意度调查样本偏少，结论代表性不足", "长效管护机制不健全，后续效益难以保障",
)  # fmt: skip
SUGGESTIONS = (
    "细化量化绩效指标，完善目标申报审核", "加快预算执行，按序时进度拨付资金",
    "完善项目验收和资料归档制度", "建立长效管护机制，落实管护责任",
)  # fmt: skip
REPLIES = ("已制定整改方案，正在落实", "已完成整改，相关资料已报送")
PUBLISHED_AT = (2, 20, 10)  # 2月20日 10:00 of the next year, with the final accounts


def add_bureau_work(db: Database, year: int, seed: int, rules: RuleSet) -> dict[str, int]:
    """Add the year's key evaluations, 整改 items and 公开 records; their counts."""
    rng = random.Random(seed * 7919 + year)
    with db.transaction() as s:
        fy_id = s.scalar(select(FiscalYear.id).where(FiscalYear.year == year))
        assert fy_id is not None
        evaluations = _key_evaluations(s, rng, fy_id, year)
    findings = year_findings(db, year, rules)
    with db.transaction() as s:
        units = {code: id_ for code, id_ in s.execute(select(Department.code, Department.id))}
        for n, f in enumerate(findings):
            s.add(_item(rng, n, f, fy_id, units[f.department_code], year))
        records = _disclosure(s, fy_id, year)
    return {"key_evaluations": evaluations, "rectification_items": len(findings),
            "disclosure_records": records}  # fmt: skip


def _stamp(year: int) -> datetime:
    return datetime(year + 1, 1, 15, 9)


def _key_evaluations(s: Session, rng: random.Random, fy_id: int, year: int) -> int:
    departments = list(s.scalars(select(Department).order_by(Department.code)))
    projects = list(
        s.scalars(
            select(Project)
            .where(Project.year_id == fy_id, Project.deleted_at.is_(None))
            .order_by(Project.total_amount.desc(), Project.code)
        )
    )
    plans: list[tuple[ObjectKind, str, Department, Project | None, str]] = []
    for d in rng.sample(departments, min(DEPARTMENT_WIDE, len(departments))):
        plans.append((ObjectKind.DEPARTMENT, f"{d.name}部门整体支出", d, None, "部门预算规模大"))
    for name, word in POLICIES_BY_UNIT:
        funding = next((p for p in projects if word in p.department.name), None)
        if funding is not None:
            why = "新出台重大政策，社会关注度高"
            plans.append((ObjectKind.POLICY, name, funding.department, funding, why))
    funded = {plan[3].id for plan in plans if plan[3] is not None}
    for p in [p for p in projects if p.id not in funded][:PROJECTS]:
        plans.append((ObjectKind.PROJECT, p.name, p.department, p, "资金规模大，连续多年安排"))
    template = load_template()
    for n, (kind, subject, dept, project, reason) in enumerate(plans, 1):
        level = rng.choice((Decimal("0.96"), Decimal("0.86"), Decimal("0.74"), Decimal("0.55")))
        amount = project.total_amount if project else Decimal(rng.randrange(300, 3000) * 10000)
        row = KeyEvaluation(
            year_id=fy_id, code=f"ZD{year}-{n:02d}", object_kind=kind.value, subject=subject,
            department_id=dept.id, project_id=project.id if project else None, reason=reason,
            amount=amount, agency=rng.choice(AGENCIES), team=rng.choice(TEAMS),
            problems="\n".join(rng.sample(PROBLEMS, 1 + (level < Decimal("0.9")) * 2)),
            suggestions="\n".join(rng.sample(SUGGESTIONS, 2)), finished_on=date(year + 1, 3, 31),
            created_at=_stamp(year), updated_at=_stamp(year),
        )  # fmt: skip
        row.items = [
            KeyEvaluationItem(
                position=i, level1=t.level1, level2=t.level2, name=t.name, points=t.points,
                guidance=t.guidance, evidence="查阅资料、现场核查",
                score=min(t.points, round2(t.points * level * Decimal(rng.randint(90, 110)) / 100)),
            )
            for i, t in enumerate(template, 1)
        ]  # fmt: skip
        s.add(row)
    return len(plans)


def _item(
    rng: random.Random, n: int, f: Finding, fy_id: int, department_id: int, year: int
) -> RectificationItem:
    """Items cycle through 未整改 / 整改中 / 已整改, each due early next year (逾期 unless
    closed) or years ahead (still open), so every state appears."""
    state = (Status.OPEN, Status.IN_PROGRESS, Status.DONE)[n % 3]
    late = rng.random() < 0.4 and state is not Status.DONE
    deadline = date(year + 1, 1, 31) if late else date(year + 6, 6, 30)
    reply = {Status.OPEN: "", Status.IN_PROGRESS: REPLIES[0], Status.DONE: REPLIES[1]}[state]
    return RectificationItem(
        year_id=fy_id, department_id=department_id, source=f.source.value, source_key=f.key,
        subject=f.subject, finding=f.finding, action=f.action, deadline=deadline,
        status=state.value, reply=reply, replied_on=date(year + 1, 1, 10) if reply else None,
        closed_on=date(year + 1, 1, 20) if state is Status.DONE else None,
        created_at=_stamp(year), updated_at=_stamp(year),
    )  # fmt: skip


def _disclosure(s: Session, fy_id: int, year: int) -> int:
    goals = dict(
        s.execute(
            select(Goal.department_id, func.count(Goal.id))
            .where(Goal.year_id == fy_id, Goal.status == GoalStatus.APPROVED.value)
            .group_by(Goal.department_id)
        ).all()
    )
    evaluations = dict(
        s.execute(
            select(SelfEvaluation.department_id, func.count(SelfEvaluation.id))
            .where(SelfEvaluation.year_id == fy_id, SelfEvaluation.scope == Scope.PROJECT.value)
            .group_by(SelfEvaluation.department_id)
        ).all()
    )
    month, day, hour = PUBLISHED_AT
    count = 0
    for dept in s.scalars(select(Department).order_by(Department.code)):
        if not goals.get(dept.id) and not evaluations.get(dept.id):
            continue
        s.add(
            DisclosureRecord(
                year_id=fy_id, department_id=dept.id,
                published_at=datetime(year + 1, month, day, hour), actor="示例县财政局绩效股",
                file_name=f"{dept.code}_{dept.name}_{year}年绩效信息公开.pdf",
                goal_tables=goals.get(dept.id, 0), evaluation_tables=evaluations.get(dept.id, 0),
            )
        )  # fmt: skip
        count += 1
    return count
