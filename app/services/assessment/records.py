"""事前绩效评估: which projects need one, exemptions, recording results, the summary.

Decisions:
- The amount compared with the thresholds is the project's 资金总额; last year's amount is
  the 资金总额 of the project with the same code in the previous fiscal year.
- A blank 实施期 counts as this year only. A project whose 实施期 is inverted is listed as
  needing an assessment with the error as its reason, so nobody approves it unnoticed.
- Exemptions are stored on the project as "类别：说明" (应急救灾 / 上级指定) in exempt_reason.
- Ratings use the four grades 优/良/中/差; all five dimensions are required.
- 予以支持: 审定 equals 送审 (blank means equal). 部分支持: 0 < 审定 < 送审.
  不予支持: 审定 blank or 0, stored as 0 so the summary counts the whole amount as 审减.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.errors import Problem, StaleRecordError, UserError, ValidationFailed
from app.domain.money import round2
from app.domain.pre_assessment import (
    AssessmentCandidate,
    AssessmentSummary,
    Exemption,
    TriggerResult,
    approval_blocked_by_assessment,
    assessment_triggers,
    summarize_assessments,
)
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Department, FiscalYear, PolicyAssessment, PreAssessment, Project

RATINGS = ("优", "良", "中", "差")
DIMENSIONS = (
    ("necessity", "立项必要性"),
    ("economy", "投入经济性"),
    ("goal_reasonableness", "绩效目标合理性"),
    ("feasibility", "实施方案可行性"),
    ("compliance", "筹资合规性"),
)


@dataclass(frozen=True)
class CandidateRow:
    """A project that hits an ex-ante trigger. Amounts in 元."""

    project_id: int
    department_code: str
    department_name: str
    project_code: str
    project_name: str
    kind: str
    amount: Decimal
    last_year_amount: Decimal | None
    start_year: int
    end_year: int
    required: bool
    exempt: bool
    reasons: tuple[str, ...]
    exemption_text: str
    conclusion: AssessmentConclusion | None
    approval_blocked: bool
    # The stored "类别：说明" when listed, "" when not exempt: what set_exemption compares
    # with before writing, so a second seat's change is never silently overwritten.
    stored_exemption: str = ""


@dataclass(frozen=True)
class AssessmentInput:
    """One assessment as entered: five ratings, conclusion, 送审 and 审定 in 元."""

    necessity: str
    economy: str
    goal_reasonableness: str
    feasibility: str
    compliance: str
    conclusion: AssessmentConclusion
    requested: Decimal
    approved: Decimal | None
    assessed_on: date | None
    assessor: str = ""
    notes: str = ""


NOT_RECORDED = versions.NOT_CREATED  # the version a form names when no assessment is stored


@dataclass(frozen=True)
class AssessmentRecord:
    project_id: int
    project_code: str
    data: AssessmentInput  # as stored (审定 filled in for 予以支持 / 不予支持)
    version: int = versions.NOT_CREATED  # of the stored row when loaded (storage/versions.py)

    @property
    def cut(self) -> Decimal:
        return self.data.requested - (self.data.approved or Decimal(0))


# --- triggers ----------------------------------------------------------------------------


def project_triggers(
    session: Session, projects: Iterable[Project], rules: RuleSet
) -> dict[int, tuple[TriggerResult, AssessmentCandidate]]:
    """Trigger results by project id; last year's amounts read with one query per year."""
    projects = list(projects)
    years = {p.id: p.year.year for p in projects}
    last_amounts = _amounts_by_code(session, {y - 1 for y in years.values()})
    result = {}
    for p in projects:
        candidate = _candidate(p, years[p.id], last_amounts.get((years[p.id] - 1, p.code)))
        result[p.id] = (_triggers(candidate, rules), candidate)
    return result


def _amounts_by_code(session: Session, years: set[int]) -> dict[tuple[int, str], Decimal]:
    stmt = (
        select(FiscalYear.year, Project.code, Project.total_amount)
        .join(FiscalYear, Project.year_id == FiscalYear.id)
        .where(live.in_years(Project, sorted(years)), *live.only(Project))
    )
    return {(y, code): amount for y, code, amount in session.execute(stmt)}


def _candidate(p: Project, year: int, last_amount: Decimal | None) -> AssessmentCandidate:
    exemption, note = parse_exemption(p.exempt_reason) if p.pre_assessment_exempt else (None, "")
    return AssessmentCandidate(
        project_code=p.code,
        kind=ProjectKind(p.kind),
        amount=p.total_amount,
        start_year=p.start_year or year,
        end_year=p.end_year or p.start_year or year,
        last_year_amount=last_amount,
        exemption=exemption,
        exemption_note=note,
    )


def _triggers(candidate: AssessmentCandidate, rules: RuleSet) -> TriggerResult:
    try:
        return assessment_triggers(candidate, rules.pre_assessment)
    except UserError as exc:  # inverted 实施期: flag it rather than hide the project
        return TriggerResult(True, (exc.message,), False)


def parse_exemption(text: str) -> tuple[Exemption, str]:
    """ "应急救灾：说明" → (EMERGENCY, "说明"). Text from elsewhere without a known
    category is read as 上级指定 with the whole text as its note."""
    for kind in Exemption:
        if text.startswith(kind.value):
            return kind, text[len(kind.value) :].lstrip("：: ").strip()
    return Exemption.MANDATED, text.strip()


def assessment_blockers(
    session: Session, projects: Iterable[Project], rules: RuleSet
) -> dict[int, str]:
    """Project id → why its goal cannot be approved yet for lack of a positive assessment."""
    projects = list(projects)
    triggers = project_triggers(session, projects, rules)
    conclusions = _conclusions(session, [p.id for p in projects])
    blocked = {}
    for p in projects:
        result, _ = triggers[p.id]
        conclusion = conclusions.get(p.id)
        if approval_blocked_by_assessment(result.required, conclusion):
            state = f"评估结论为“{conclusion}”" if conclusion else "尚未录入事前绩效评估结论"
            blocked[p.id] = (
                f"项目 {p.code} 需要事前绩效评估（{'；'.join(result.reasons)}），{state}，"
                "不能通过审核"
            )
    return blocked


def _conclusions(session: Session, project_ids: list[int]) -> dict[int, AssessmentConclusion]:
    if not project_ids:
        return {}
    stmt = select(PreAssessment.project_id, PreAssessment.conclusion).where(
        PreAssessment.project_id.in_(project_ids)
    )
    return {pid: AssessmentConclusion(c) for pid, c in session.execute(stmt) if c}


def assessment_candidates(db: Database, year: int, rules: RuleSet) -> list[CandidateRow]:
    """Every project of the year that hits a trigger (exempt ones included, marked)."""
    stmt = (
        select(Project, Department)
        .join(Department, Project.department_id == Department.id)
        .where(live.in_year(Project, year), *live.only(Project))
        .order_by(Department.code, Project.code)
    )
    with db.session() as session:
        pairs = [(p, d) for p, d in session.execute(stmt)]
        triggers = project_triggers(session, [p for p, _ in pairs], rules)
        conclusions = _conclusions(session, [p.id for p, _ in pairs])
        return [
            _candidate_row(p, d, *triggers[p.id], conclusions.get(p.id))
            for p, d in pairs
            if triggers[p.id][0].reasons
        ]


def _candidate_row(
    p: Project,
    d: Department,
    result: TriggerResult,
    c: AssessmentCandidate,
    conclusion: AssessmentConclusion | None,
) -> CandidateRow:
    return CandidateRow(
        project_id=p.id,
        department_code=d.code,
        department_name=d.name,
        project_code=p.code,
        project_name=p.name,
        kind=p.kind,
        amount=c.amount,
        last_year_amount=c.last_year_amount,
        start_year=c.start_year,
        end_year=c.end_year,
        required=result.required,
        exempt=result.exempt,
        reasons=result.reasons,
        exemption_text=result.exemption_text,
        conclusion=conclusion,
        approval_blocked=approval_blocked_by_assessment(result.required, conclusion),
        stored_exemption=_stored_exemption(p),
    )


def _stored_exemption(p: Project) -> str:
    return p.exempt_reason if p.pre_assessment_exempt else ""


# --- exemptions and assessments ----------------------------------------------------------


def set_exemption(
    db: Database,
    project_id: int,
    exempt: bool,
    reason: str = "",
    kind: Exemption | None = None,
    *,
    loaded: str | None = None,
) -> None:
    """Flag a project as exempt (kind and a reason required) or clear the flag.

    `loaded` is the exemption the user saw (CandidateRow.stored_exemption; None: no check,
    e.g. a script): when another seat changed it since, or the project went, nothing is
    written and StaleRecordError names who did it and when."""
    with db.transaction() as s:
        project = _project(s, project_id, from_form=loaded is not None)
        if loaded is not None:
            # Read again under a row lock: two seats saving at once queue on PostgreSQL.
            fields = ["pre_assessment_exempt", "exempt_reason"]
            s.refresh(project, fields, with_for_update=True)
        if loaded is not None and _stored_exemption(project) != loaded:
            change = versions.last_change(s, audit.PROJECT, project.id)
            label = f"项目 {project.code} 的免评设置"
            raise StaleRecordError(label, change, gone=False, version=None)
        if exempt and (kind is None or not reason.strip()):
            raise UserError(
                f"项目 {project.code}：免于事前评估须选择类别（应急救灾或上级指定）并说明理由"
            )
        text = f"{kind.value}：{reason.strip()}" if exempt and kind else ""
        if len(text) > 200:
            raise UserError(f"项目 {project.code}：免评理由超过 200 个字")
        before = {"免评": project.pre_assessment_exempt, "理由": project.exempt_reason}
        project.pre_assessment_exempt = exempt
        project.exempt_reason = text
        after = {"免评": exempt, "理由": text}
        action = "设置免于事前评估" if exempt else "取消免于事前评估"
        audit.record(s, action, audit.PROJECT, project.id, project.code, before, after)


def _project(s: Session, project_id: int, *, from_form: bool = False) -> Project:
    project = live.get(s, Project, project_id)
    if project is None:
        # Deleted or binned since the form loaded it: say so, never bring it back.
        if from_form:
            versions.refuse_gone(s, audit.PROJECT, project_id, "该项目")
        raise UserError(f"项目（编号 {project_id}）不存在或已删除")
    return project


def check_assessment(data: AssessmentInput, project_code: str = "") -> list[Problem]:
    """Every problem of an assessment as entered, located by column."""
    problems = [
        Problem(f"{label}的评价“{getattr(data, attr)}”应为{'/'.join(RATINGS)}之一", column=label)
        for attr, label in DIMENSIONS
        if getattr(data, attr) not in RATINGS
    ]
    if data.requested <= 0:
        problems.append(Problem("送审金额应大于 0", column="送审金额"))
    problems += _amount_problems(data)
    if data.assessed_on is None:
        problems.append(Problem("评估日期未填写", column="评估日期"))
    for column, amount in (("送审金额", data.requested), ("审定金额", data.approved)):
        if amount is not None and amount != round2(amount):
            problems.append(Problem(f"{column}最多保留两位小数（元）", column=column))
    return problems


def _amount_problems(data: AssessmentInput) -> list[Problem]:
    approved, requested = data.approved, data.requested
    conclusion = data.conclusion
    if conclusion is AssessmentConclusion.SUPPORT and approved not in (None, requested):
        return [Problem("结论为予以支持时，审定金额应等于送审金额", column="审定金额")]
    if conclusion is AssessmentConclusion.PARTIAL and (
        approved is None or not 0 < approved < requested
    ):
        return [Problem("结论为部分支持时，审定金额应大于 0 且小于送审金额", column="审定金额")]
    if conclusion is AssessmentConclusion.REJECT and approved not in (None, Decimal(0)):
        return [Problem("结论为不予支持时，审定金额应为 0 或不填", column="审定金额")]
    return []


def record_assessment(
    db: Database, project_id: int, data: AssessmentInput, loaded_version: int | None = None
) -> AssessmentRecord:
    """Create or replace the project's assessment, after checking all of it. With
    `loaded_version` (AssessmentRecord.version, NOT_CREATED for none), an assessment
    recorded or changed since then is refused."""
    with db.transaction() as s:
        project = _project(s, project_id, from_form=loaded_version is not None)
        problems = check_assessment(data)
        if problems:
            raise ValidationFailed(problems, f"项目 {project.code} 的事前绩效评估有误，未保存：")
        data = settled(data)
        row = s.scalar(select(PreAssessment).where(PreAssessment.project_id == project.id))
        label = f"项目 {project.code} 的事前绩效评估"
        versions.check(s, row, loaded_version, audit.PRE_ASSESSMENT, project.id, label)
        before = as_dict(stored_input(row)) if row else None
        row = row or PreAssessment(project_id=project.id)
        write_assessment(row, data)
        s.add(row)
        after = as_dict(data)
        if before is not None:
            before, after = audit.changed_only(before, after)
        # The assessment is one per project: its entries carry the project's id.
        label = project.code
        audit.record(s, "录入事前绩效评估", audit.PRE_ASSESSMENT, project.id, label, before, after)
        versions.flush_first(s, f"{label}刚刚已由其他操作人员录入，请重新打开后再修改。")
        return AssessmentRecord(project.id, project.code, data, row.version)


def settled(data: AssessmentInput) -> AssessmentInput:
    """Fill in the 审定 amount the conclusion implies."""
    if data.conclusion is AssessmentConclusion.SUPPORT:
        return replace(data, approved=data.requested)
    if data.conclusion is AssessmentConclusion.REJECT:
        return replace(data, approved=Decimal(0))
    return data


def write_assessment(row: PreAssessment | PolicyAssessment, data: AssessmentInput) -> None:
    """Store an assessment on a project's or a policy's row (the same fields)."""
    for attr, _ in DIMENSIONS:
        setattr(row, attr, getattr(data, attr))
    row.conclusion = data.conclusion.value
    row.requested_amount = data.requested
    row.approved_amount = data.approved
    row.assessed_on = data.assessed_on
    row.assessor = data.assessor.strip()
    row.notes = data.notes


def stored_input(row: PreAssessment | PolicyAssessment) -> AssessmentInput:
    ratings = {attr: getattr(row, attr) for attr, _ in DIMENSIONS}
    return AssessmentInput(
        **ratings,
        conclusion=AssessmentConclusion(row.conclusion),
        requested=row.requested_amount,
        approved=row.approved_amount,
        assessed_on=row.assessed_on,
        assessor=row.assessor,
        notes=row.notes,
    )


def as_dict(data: AssessmentInput) -> dict[str, object]:
    ratings = {label: getattr(data, attr) for attr, label in DIMENSIONS}
    return ratings | {
        "结论": data.conclusion.value,
        "送审金额": data.requested,
        "审定金额": data.approved,
        "评估日期": data.assessed_on,
        "评估人": data.assessor,
        "备注": data.notes,
    }


def load_assessment(db: Database, project_id: int) -> AssessmentRecord | None:
    with db.session() as session:
        project = _project(session, project_id)
        row = session.scalar(select(PreAssessment).where(PreAssessment.project_id == project.id))
        return (
            AssessmentRecord(project.id, project.code, stored_input(row), row.version)
            if row
            else None
        )


def assessment_summary(db: Database, year: int) -> AssessmentSummary:
    """送审 / 审定 / 审减 / 审减率 over the year's recorded assessments."""
    stmt = (
        select(PreAssessment.requested_amount, PreAssessment.approved_amount)
        .join(Project, PreAssessment.project_id == Project.id)
        .where(live.in_year(Project, year), *live.only(Project))
    )
    with db.session() as session:
        pairs = [(sent, kept or Decimal(0)) for sent, kept in session.execute(stmt)]
    return summarize_assessments(pairs)
