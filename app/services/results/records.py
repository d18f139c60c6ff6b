"""结果应用: propose next year's budget adjustments and record the user's decisions.

Decisions (the rules themselves are in app/domain/results.py):
- Grade: a finished 财政重点评价 of the project (or of the policy it funds) first; then
  the review grade where the project was reviewed (已复核), else the grade the rule
  set computes from the self-evaluation (not the claimed grade: claims may be inflated,
  and the score table shows both).
- Base amount: next year's project with the same code when it exists (its 资金总额 is the
  request being decided), else this year's 全年预算数, else the project amount.
- Ex-ante 核减 and 不予支持 come from next year's project's PreAssessment only: this year's
  was already applied to this year's budget, and counting it again would cut twice.
  审定 < 送审 without a written conclusion counts as 部分支持.
- Monitoring: the conclusion of the latest round (highest month) that gave one.
- Rows: projects with a self-evaluation, a key evaluation, a monitoring conclusion other
  than 无问题, or a next-year ex-ante assessment. Re-running refreshes the proposals and
  keeps decisions; undecided rows of projects no longer listed are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.enums import AssessmentConclusion, Grade, MonitoringConclusion, Scope
from app.domain.errors import UserError
from app.domain.key_evaluation import FrameworkItem, ScoredItem
from app.domain.key_evaluation import outcome as key_outcome
from app.domain.numbers import wan
from app.domain.results import AdjustmentAction, AdjustmentInput, propose_adjustments
from app.domain.rules import RuleSet
from app.domain.scoring import score_evaluation
from app.services.common import audit, live
from app.services.evaluation import load_evaluations
from app.services.evaluation.inputs import NO_SECTION, parse_grade
from app.services.spotcheck.views import REVIEWED
from app.storage.database import Database
from app.storage.models import (
    BudgetAdjustment,
    Department,
    KeyEvaluation,
    MonitoringEntry,
    MonitoringRound,
    PreAssessment,
    Project,
    Review,
    Section,
    SelfEvaluation,
    SpotCheckSample,
)

KEY_SOURCE, REVIEW_SOURCE, SELF_SOURCE = "重点评价", "复核", "自评"


@dataclass(frozen=True)
class AdjustmentRow:
    adjustment_id: int
    project_code: str
    project_name: str
    department_code: str
    department: str
    section: str
    grade: str
    grade_source: str  # 复核 / 自评 / ""
    action: str  # 保持 / 调减 / 暂缓安排 / 取消
    basis: str
    base: Decimal  # 元
    cut_ratio: Decimal
    proposed_cut: Decimal
    decided_cut: Decimal | None
    decision_reason: str
    decided_by: str
    decided_at: datetime | None

    @property
    def final_cut(self) -> Decimal:
        return self.proposed_cut if self.decided_cut is None else self.decided_cut

    @property
    def final_amount(self) -> Decimal:
        return self.base - self.final_cut


@dataclass(frozen=True)
class DepartmentResults:
    department_code: str
    department: str
    section: str
    rows: tuple[AdjustmentRow, ...]

    @property
    def base(self) -> Decimal:
        return sum((r.base for r in self.rows), Decimal(0))

    @property
    def proposed_cut(self) -> Decimal:
        return sum((r.proposed_cut for r in self.rows), Decimal(0))

    @property
    def final_cut(self) -> Decimal:
        return sum((r.final_cut for r in self.rows), Decimal(0))

    @property
    def decided_cut(self) -> Decimal:
        """Only what the user confirmed: an undecided proposal is not a cut yet."""
        return sum((r.decided_cut for r in self.rows if r.decided_cut is not None), Decimal(0))

    @property
    def decided_count(self) -> int:
        return sum(r.decided_cut is not None for r in self.rows)


def propose_results(db: Database, year: int, rules: RuleSet) -> list[AdjustmentRow]:
    """Compute and store the proposals of ``year`` (idempotent; decisions are kept)."""
    with db.transaction() as session:
        fy_id = live.require_year_id(session, year)
        inputs, project_ids = _inputs(session, year, rules)
        proposals = propose_adjustments(list(inputs.values()), rules)
        existing = {
            a.project_id: a
            for a in session.scalars(
                select(BudgetAdjustment).where(BudgetAdjustment.year_id == fy_id)
            )
        }
        for proposal in proposals:
            project_id = project_ids[proposal.project_code]
            row = existing.pop(project_id, None) or BudgetAdjustment(
                year_id=fy_id, project_id=project_id
            )
            item = inputs[proposal.project_code]
            row.grade = proposal.grade.value if proposal.grade else ""
            row.grade_source = _source(item)
            row.basis = proposal.reason_text
            row.base_amount = proposal.base
            row.proposed_cut_ratio = proposal.cut_ratio
            row.proposed_cut = proposal.cut
            session.add(row)
        for stale in existing.values():
            if stale.decided_cut is None:
                session.delete(stale)
        session.flush()
        cuts = [p.project_code for p in proposals if p.cut > 0]
        audit.record(
            session, "生成结果应用建议", audit.BUDGET_ADJUSTMENT, None, f"{year}年",
            after={"项目数": len(proposals), "建议调减项目": cuts},
        )  # fmt: skip
        return _rows(session, fy_id)


def decide_adjustment(
    db: Database, adjustment_id: int, decided_cut: Decimal, reason: str = ""
) -> AdjustmentRow:
    """Accept (same amount) or change a proposal; a different amount needs a reason."""
    with db.transaction() as session:
        row = session.get(BudgetAdjustment, adjustment_id)
        if row is None:
            raise UserError(f"未找到编号为 {adjustment_id} 的结果应用建议，请重新生成。")
        code = row.project.code
        if not Decimal(0) <= decided_cut <= row.base_amount:
            raise UserError(
                f"项目“{code}”的调减数应在0到{wan(row.base_amount)}万元之间，"
                f"实际为{wan(decided_cut)}万元。"
            )
        if decided_cut != row.proposed_cut and not reason.strip():
            raise UserError(
                f"项目“{code}”的调减数{wan(decided_cut)}万元与建议的"
                f"{wan(row.proposed_cut)}万元不同，须填写理由。"
            )
        before = {"确定调减数": row.decided_cut, "理由": row.decision_reason}
        row.decided_cut = decided_cut
        row.decision_reason = reason.strip()
        row.decided_by = audit.actor(session)
        row.decided_at = datetime.now().replace(microsecond=0)
        session.flush()
        audit.record(
            session, "确定结果应用", audit.BUDGET_ADJUSTMENT, row.id, code, before=before,
            after={"确定调减数": decided_cut, "理由": row.decision_reason},
        )  # fmt: skip
        return next(r for r in _rows(session, row.year_id) if r.adjustment_id == row.id)


def results_by_department(db: Database, year: int) -> list[DepartmentResults]:
    """The stored list grouped per department (section, then department code order)."""
    with db.session() as session:
        rows = _rows(session, live.require_year_id(session, year))
    groups: dict[str, list[AdjustmentRow]] = {}
    for row in rows:
        groups.setdefault(row.department_code, []).append(row)
    return [
        DepartmentResults(code, items[0].department, items[0].section, tuple(items))
        for code, items in groups.items()
    ]


def _source(item: AdjustmentInput) -> str:
    if item.key_grade is not None:
        return KEY_SOURCE
    if item.review_grade is not None:
        return REVIEW_SOURCE
    return SELF_SOURCE if item.self_grade is not None else ""


def _inputs(
    session: Session, year: int, rules: RuleSet
) -> tuple[dict[str, AdjustmentInput], dict[str, int]]:
    """AdjustmentInput per project code, and the project id of each code."""
    self_grades: dict[int, Grade] = {}
    budgets: dict[int, Decimal] = {}
    for item in load_evaluations(session, year=year):
        if item.scope is Scope.PROJECT and item.project_id is not None:
            self_grades[item.project_id] = score_evaluation(item.input, rules).grade
            budgets[item.project_id] = item.input.budget
    review_grades = _review_grades(session, year)
    key_grades = _key_grades(session, year, rules)
    conclusions = _monitoring_conclusions(session, year)
    next_year = _next_year(session, year)
    inputs, ids = {}, {}
    for project, dept in session.execute(_projects(year)):
        ahead = next_year.get(project.code)
        conclusion = conclusions.get(project.id)
        listed = (
            project.id in self_grades
            or project.id in key_grades
            or (ahead and ahead[1] is not None)
        )
        if not (listed or conclusion not in (None, MonitoringConclusion.NO_PROBLEM)):
            continue
        base = ahead[0] if ahead else budgets.get(project.id, project.total_amount)
        verdict, cut = _ex_ante(ahead[1] if ahead else None)
        inputs[project.code] = AdjustmentInput(
            project_code=project.code,
            project_name=project.name,
            department=dept.code,
            base=base,
            self_grade=self_grades.get(project.id),
            review_grade=review_grades.get(project.id),
            key_grade=key_grades.get(project.id),
            monitoring_conclusion=conclusion,
            assessment_conclusion=verdict,
            assessment_cut=cut,
        )
        ids[project.code] = project.id
    return inputs, ids


def _projects(year: int) -> Select[Project, Department]:
    return (
        select(Project, Department)
        .join(Department, Project.department_id == Department.id)
        .where(live.in_year(Project, year), *live.only(Project))
    )


def _review_grades(session: Session, year: int) -> dict[int, Grade]:
    stmt = (
        select(SelfEvaluation.project_id, Review.grade)
        .join(SpotCheckSample, SpotCheckSample.evaluation_id == SelfEvaluation.id)
        .join(Review, Review.sample_id == SpotCheckSample.id)
        .where(live.in_year(SelfEvaluation, year), Review.status == REVIEWED)
    )
    found = {}
    for project_id, grade in session.execute(stmt):
        parsed = parse_grade(grade)
        if project_id is not None and parsed is not None:
            found[project_id] = parsed
    return found


def _key_grades(session: Session, year: int, rules: RuleSet) -> dict[int, Grade]:
    """Project id → the grade of its finished key evaluation (the lowest if several)."""
    stmt = select(KeyEvaluation).where(
        live.in_year(KeyEvaluation, year), KeyEvaluation.project_id.is_not(None)
    )
    order = list(Grade)
    found: dict[int, Grade] = {}
    for e in session.scalars(stmt):
        items = [ScoredItem(FrameworkItem(i.level1, i.level2, i.name, i.points), i.score)
                 for i in e.items]  # fmt: skip
        grade = key_outcome(items, rules).grade
        pid = e.project_id
        if grade is None or pid is None:
            continue
        if pid not in found or order.index(grade) > order.index(found[pid]):
            found[pid] = grade
    return found


def _monitoring_conclusions(session: Session, year: int) -> dict[int, MonitoringConclusion]:
    stmt = (
        select(MonitoringEntry.project_id, MonitoringEntry.conclusion)
        .join(MonitoringRound, MonitoringEntry.round_id == MonitoringRound.id)
        .where(live.in_year(MonitoringRound, year), MonitoringEntry.conclusion != "")
        .order_by(MonitoringRound.month)
    )
    found = {}
    for project_id, text in session.execute(stmt):
        try:
            found[project_id] = MonitoringConclusion(text)  # later rounds overwrite
        except ValueError:
            continue
    return found


def _next_year(session: Session, year: int) -> dict[str, tuple[Decimal, PreAssessment | None]]:
    stmt = (
        select(Project.code, Project.total_amount, PreAssessment)
        .outerjoin(PreAssessment, PreAssessment.project_id == Project.id)
        .where(live.in_year(Project, year + 1), *live.only(Project))
    )
    return {code: (amount, pre) for code, amount, pre in session.execute(stmt)}


def _ex_ante(pre: PreAssessment | None) -> tuple[AssessmentConclusion | None, Decimal]:
    if pre is None:
        return None, Decimal(0)
    try:
        verdict: AssessmentConclusion | None = AssessmentConclusion(pre.conclusion)
    except ValueError:
        verdict = None
    cut = Decimal(0)
    if pre.approved_amount is not None and pre.approved_amount < pre.requested_amount:
        cut = pre.requested_amount - pre.approved_amount
        verdict = verdict or AssessmentConclusion.PARTIAL
    return verdict, cut


def _rows(session: Session, fy_id: int) -> list[AdjustmentRow]:
    stmt = (
        select(BudgetAdjustment, Project, Department, Section.name)
        .join(Project, BudgetAdjustment.project_id == Project.id)
        .join(Department, Project.department_id == Department.id)
        .outerjoin(Section, Department.section_id == Section.id)
        .where(BudgetAdjustment.year_id == fy_id, *live.only(Project))
        .order_by(Department.code, Project.code)
    )
    return [
        AdjustmentRow(
            adjustment_id=a.id,
            project_code=p.code,
            project_name=p.name,
            department_code=d.code,
            department=d.name,
            section=section or NO_SECTION,
            grade=a.grade,
            grade_source=a.grade_source,
            action=_action(a).value,
            basis=a.basis,
            base=a.base_amount,
            cut_ratio=a.proposed_cut_ratio,
            proposed_cut=a.proposed_cut,
            decided_cut=a.decided_cut,
            decision_reason=a.decision_reason,
            decided_by=a.decided_by,
            decided_at=a.decided_at,
        )
        for a, p, d, section in session.execute(stmt)
    ]


def _action(a: BudgetAdjustment) -> AdjustmentAction:
    """The proposal's action, re-derived from the stored amounts and the domain's reasons."""
    if a.proposed_cut <= 0:
        return AdjustmentAction.KEEP
    if a.proposed_cut >= a.base_amount:
        if "不予支持" in a.basis:
            return AdjustmentAction.CANCEL
        if "暂停拨款" in a.basis:
            return AdjustmentAction.DEFER
    return AdjustmentAction.CUT
