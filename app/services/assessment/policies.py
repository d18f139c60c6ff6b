"""事前绩效评估 of 新出台重大政策: recording and listing the year's policy assessments.

A policy is assessed like a project (the same five dimensions, ratings and conclusions,
checked by records.check_assessment); its 送审 amount is the money the policy commits.
The ex-ante summary lists policies in their own table (app.services.assessment.report).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain.errors import UserError, ValidationFailed
from app.domain.pre_assessment import AssessmentSummary, policy_problems, summarize_assessments
from app.services.assessment.records import (
    AssessmentInput,
    as_dict,
    check_assessment,
    settled,
    stored_input,
    write_assessment,
)
from app.services.common import audit, live
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Department, PolicyAssessment


@dataclass(frozen=True)
class PolicyRow:
    id: int
    year: int
    department_code: str
    department_name: str
    name: str
    data: AssessmentInput  # as stored (审定 filled in for 予以支持 / 不予支持)
    version: int = 0  # of the stored row when loaded (storage/versions.py)


def record_policy(
    db: Database,
    year: int,
    department_code: str,
    name: str,
    data: AssessmentInput,
    policy_id: int | None = None,
    loaded_version: int | None = None,
) -> PolicyRow:
    """Add a policy's assessment (or replace the one `policy_id` names), checked whole. With
    `loaded_version` (PolicyRow.version), a policy changed since then is refused."""
    problems = policy_problems(name, department_code) + check_assessment(data)
    if problems:
        raise ValidationFailed(problems, f"政策“{name.strip()}”的事前绩效评估有误，未保存：")
    data = settled(data)
    with db.transaction() as s:
        fy = live.fiscal_year(s, year)
        if fy is None:
            raise UserError(f"数据库中没有 {year} 年度，请先建立该年度。")
        dept = s.scalar(select(Department).where(Department.code == department_code.strip()))
        if dept is None:
            raise UserError(f"预算单位 {department_code} 不存在，请核对单位编码。")
        row = s.get(PolicyAssessment, policy_id) if policy_id is not None else None
        if policy_id is not None:
            label = f"政策“{row.name if row else name.strip()}”的事前绩效评估"
            versions.check(s, row, loaded_version, audit.PRE_ASSESSMENT, policy_id, label)
        if policy_id is not None and row is None:
            raise UserError(f"政策评估（编号 {policy_id}）不存在，可能已被删除，请刷新后重试。")
        before = _as_dict(row.name, stored_input(row)) if row else None
        row = row or PolicyAssessment(year_id=fy.id, department_id=dept.id)
        row.year_id, row.department_id, row.name = fy.id, dept.id, name.strip()
        write_assessment(row, data)
        s.add(row)
        s.flush()
        after = _as_dict(row.name, data)
        if before is not None:
            before, after = audit.changed_only(before, after)
        label = f"政策：{row.name}"
        audit.record(s, "录入事前绩效评估", audit.PRE_ASSESSMENT, row.id, label, before, after)
        return PolicyRow(row.id, year, dept.code, dept.name, row.name, data, row.version)


def list_policies(db: Database, year: int) -> list[PolicyRow]:
    """The year's policy assessments, by department code then name."""
    stmt = (
        select(PolicyAssessment, Department.code, Department.name)
        .join(Department, PolicyAssessment.department_id == Department.id)
        .where(live.in_year(PolicyAssessment, year))
        .order_by(Department.code, PolicyAssessment.name)
    )
    with db.session() as s:
        return [
            PolicyRow(row.id, year, code, dept_name, row.name, stored_input(row), row.version)
            for row, code, dept_name in s.execute(stmt)
        ]


def policy_summary(rows: list[PolicyRow]) -> AssessmentSummary:
    """送审 / 审定 / 审减 over the policies (a blank 审定 counts as nothing approved)."""
    return summarize_assessments((r.data.requested, r.data.approved or Decimal(0)) for r in rows)


def _as_dict(name: str, data: AssessmentInput) -> dict[str, object]:
    return {"政策名称": name} | as_dict(data)
