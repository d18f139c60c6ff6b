"""Reviewing one sampled self-evaluation: the working paper (复核底稿) and the re-score.

Decisions:
- ``save_review`` takes the whole review as the screen shows it: rows not in the edit keep
  the self-evaluation's values. It re-scores with the domain (same rules plus the
  reviewer's deductions) and stores each row's final 复核得分, so reopening and saving
  again gives the same result.
- For a qualitative row the reviewed band is stored in ``reviewed_text``.
- Blocking input problems (all listed at once): an unknown row, a band on a quantitative
  row, a "其他" deduction without a note or without its score, a score outside 0…分值.
- Every deduction needs a reason (docs/domain.md §7): a row whose 复核得分 ends below its 自评得分
  needs a 扣分原因, else nothing is saved and the problem names the indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Comparator, Grade, QualitativeBand, Scope
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.numbers import plain
from app.domain.review import DeductionReason, IndicatorReview, review_evaluation
from app.domain.rules import RuleSet
from app.domain.scoring import IndicatorInput, IndicatorScore, score_evaluation
from app.services.common import audit, live
from app.services.evaluation import LoadedEvaluation, load_evaluations
from app.services.evaluation.inputs import parse_band
from app.services.spotcheck.views import DRAFT, NOT_STARTED, REVIEWED
from app.storage import versions
from app.storage.database import Database
from app.storage.models import Goal, Review, ReviewItem, SelfEvaluation, SpotCheckSample

# Two reviewers opening one sampled project at once: the second is told, not shown a raw error.
_TAKEN = "项目 {label} 的复核刚刚已由其他操作人员开始或保存，请关闭后重新打开复核表。"


@dataclass(frozen=True)
class SheetRow:
    """One line of the working paper: the goal's terms, the self-evaluation, the review."""

    evaluation_indicator_id: int
    level1: str
    level2: str
    name: str
    nature: str  # 指标性质: ≥ ≤ = 定性 …
    target: str  # 指标值 (number or qualitative text)
    unit: str
    points: Decimal
    self_actual: str  # 自评完成值
    self_score: Decimal | None  # 自评得分 (claimed)
    rule_score: Decimal  # 按规则计算的得分
    rule_explanation: str
    reviewed_value: Decimal | None  # 复核完成值
    reviewed_text: str
    reviewed_band: QualitativeBand | None
    reviewed_score: Decimal | None  # 复核得分
    deviation: Decimal | None  # 偏离: 复核得分 − 自评得分
    deduction_reason: str
    note: str  # 备注
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ReviewSheet:
    sample_id: int
    status: str  # 未开始 / 草稿 / 已复核
    reviewer: str
    project_code: str
    name: str
    department: str
    section: str
    overall_target: str  # 年度总体目标 of the goal
    expected_outcome: str
    actual_outcome: str
    budget: Decimal
    spent: Decimal
    reviewed_spent: Decimal | None
    self_total: Decimal  # claimed, else computed
    computed_total: Decimal
    computed_grade: Grade
    review_total: Decimal | None
    review_grade: str
    opinion: str
    rows: tuple[SheetRow, ...]
    version: int = versions.NOT_CREATED  # of the stored review when loaded (storage/versions.py)


@dataclass(frozen=True)
class ReviewItemEdit:
    evaluation_indicator_id: int
    reviewed_value: Decimal | None = None  # 复核完成值 (None keeps the self value)
    reviewed_text: str = ""
    reviewed_band: QualitativeBand | None = None
    reviewed_score: Decimal | None = None  # qualitative score, or the score after 其他
    deduction: DeductionReason | None = None
    note: str = ""


@dataclass(frozen=True)
class ReviewEdit:
    reviewed_spent: Decimal | None = None  # 复核执行数, 元 (None keeps the self value)
    items: tuple[ReviewItemEdit, ...] = ()


@dataclass(frozen=True)
class ReviewedRow:
    evaluation_indicator_id: int
    name: str
    points: Decimal
    self_score: Decimal | None
    score: Decimal
    explanation: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ReviewOutcome:
    review_id: int
    total: Decimal
    grade: Grade
    self_total: Decimal
    self_grade: Grade
    deviation: Decimal  # review − self
    inflated: bool  # 自评不实
    finding: str
    total_explanation: str
    rows: tuple[ReviewedRow, ...]
    version: int = 0  # of the review as saved: the form's next save names it


def start_review(db: Database, sample_id: int) -> int:
    """Open the review of a sampled project (idempotent); returns the review id."""
    with db.transaction() as session:
        sample = _sample(session, sample_id)
        if sample.review is not None:
            return sample.review.id
        review = Review(sample=sample, reviewer=audit.actor(session), status=DRAFT)
        session.add(review)
        label = _loaded(session, sample).key
        versions.flush_first(session, _TAKEN.format(label=label))
        after = {"复核人": review.reviewer}
        audit.record(session, "开始复核", audit.SPOT_CHECK_REVIEW, review.id, label, after=after)
        return review.id


def review_sheet(db: Database, sample_id: int, rules: RuleSet) -> ReviewSheet:
    with db.session() as session:
        sample = _sample(session, sample_id)
        item = _loaded(session, sample)
        evaluation = session.get(SelfEvaluation, sample.evaluation_id)
        assert evaluation is not None
        target = _overall_target(session, evaluation)
        review = sample.review
        saved = {i.evaluation_indicator_id: i for i in (review.items if review else [])}
        own = score_evaluation(item.input, rules)
        rows = tuple(
            _sheet_row(ind, ref.id, ref.target_text, scored, saved.get(ref.id))
            for ind, ref, scored in zip(
                item.input.indicators, item.rows, own.indicator_scores, strict=True
            )
        )
        return ReviewSheet(
            sample_id=sample.id,
            status=review.status if review else NOT_STARTED,
            reviewer=review.reviewer if review else "",
            project_code=item.key,
            name=item.name,
            department=item.department,
            section=item.section,
            overall_target=target,
            expected_outcome=evaluation.expected_outcome,
            actual_outcome=evaluation.actual_outcome,
            budget=item.input.budget,
            spent=item.input.spent,
            reviewed_spent=review.reviewed_spent if review else None,
            self_total=own.claimed_total if own.claimed_total is not None else own.total,
            computed_total=own.total,
            computed_grade=own.grade,
            review_total=review.total if review else None,
            review_grade=review.grade if review else "",
            opinion=review.opinion if review else "",
            rows=rows,
            version=review.version if review else versions.NOT_CREATED,
        )


def save_review(
    db: Database,
    sample_id: int,
    edit: ReviewEdit,
    rules: RuleSet,
    opinion: str = "",
    loaded_version: int | None = None,
) -> ReviewOutcome:
    """Re-score a sampled self-evaluation with the reviewer's entries and store the review.
    With `loaded_version` (ReviewSheet.version), a review saved since then is refused."""
    with db.transaction() as session:
        sample = _sample(session, sample_id)
        item = _loaded(session, sample)
        kind, review_id = audit.SPOT_CHECK_REVIEW, sample.review.id if sample.review else 0
        label = f"项目 {item.key} 的复核"
        versions.check(session, sample.review, loaded_version, kind, review_id, label)
        reviews = _indicator_reviews(item, edit)
        result = review_evaluation(item.input, reviews, rules, reviewed_spent=edit.reviewed_spent)
        _require_reasons(item, reviews, result.review.indicator_scores, rules)
        review = sample.review
        if review is None:
            review = Review(sample=sample)
            session.add(review)
        before = {"复核得分": review.total, "复核等级": review.grade}
        review.reviewer = audit.actor(session)
        review.reviewed_at = datetime.now().replace(microsecond=0)
        review.status = REVIEWED
        review.reviewed_spent = edit.reviewed_spent
        review.opinion = opinion
        review.total = result.review.total
        review.grade = result.review.grade.value
        _store_items(review, item, edit, result.review.indicator_scores)
        versions.flush_first(session, _TAKEN.format(label=item.key))
        audit.record(
            session, "保存复核", audit.SPOT_CHECK_REVIEW, review.id, item.key, before=before,
            after={"复核得分": review.total, "复核等级": review.grade, "自评不实": result.inflated},
        )  # fmt: skip
        rows = tuple(
            ReviewedRow(ref.id, s.name, s.points, s.claimed_score, s.score, s.explanation, s.flags)
            for ref, s in zip(item.rows, result.review.indicator_scores, strict=True)
        )
        return ReviewOutcome(
            review_id=review.id,
            total=result.review.total,
            grade=result.review.grade,
            self_total=result.self_total,
            self_grade=result.self_grade,
            deviation=result.deviation,
            inflated=result.inflated,
            finding=result.finding,
            total_explanation=result.review.total_explanation,
            rows=rows,
            version=review.version if review else versions.NOT_CREATED,
        )


def _sample(session: Session, sample_id: int) -> SpotCheckSample:
    sample = session.get(SpotCheckSample, sample_id)
    if sample is None:
        raise UserError(f"未找到编号为 {sample_id} 的复核样本，请重新打开抽样结果。")
    return sample


def _loaded(session: Session, sample: SpotCheckSample) -> LoadedEvaluation:
    return load_evaluations(session, evaluation_ids=[sample.evaluation_id])[0]


def _overall_target(session: Session, evaluation: SelfEvaluation) -> str:
    stmt = select(Goal.overall_target).where(*live.only(Goal))
    if evaluation.project_id is not None:
        stmt = stmt.where(Goal.project_id == evaluation.project_id)
    else:
        stmt = stmt.where(
            Goal.scope == Scope.DEPARTMENT.value,
            Goal.department_id == evaluation.department_id,
            Goal.year_id == evaluation.year_id,
        )
    return session.scalar(stmt) or ""


def _sheet_row(
    ind: IndicatorInput,
    row_id: int,
    target_text: str,
    scored: IndicatorScore,
    saved: ReviewItem | None,
) -> SheetRow:
    qualitative = ind.comparator is Comparator.QUALITATIVE
    self_basis = ind.claimed_score if ind.claimed_score is not None else scored.score
    reviewed_score = saved.reviewed_score if saved else None
    actual = plain(ind.actual) if ind.actual is not None else ind.actual_text
    return SheetRow(
        evaluation_indicator_id=row_id,
        level1=ind.level1,
        level2=ind.level2,
        name=ind.name,
        nature=ind.comparator.value,
        target=target_text if qualitative or ind.target is None else plain(ind.target),
        unit=ind.unit,
        points=ind.points,
        self_actual=actual or (ind.band.value if ind.band else ""),
        self_score=ind.claimed_score,
        rule_score=scored.score,
        rule_explanation=scored.explanation,
        reviewed_value=saved.reviewed_value if saved else None,
        reviewed_text=saved.reviewed_text if saved else "",
        reviewed_band=parse_band(saved.reviewed_text) if saved and qualitative else None,
        reviewed_score=reviewed_score,
        deviation=None if reviewed_score is None else reviewed_score - self_basis,
        deduction_reason=saved.deduction_reason if saved else "",
        note=saved.note if saved else "",
        flags=scored.flags,
    )


def _indicator_reviews(item: LoadedEvaluation, edit: ReviewEdit) -> list[IndicatorReview]:
    by_id = {e.evaluation_indicator_id: e for e in edit.items}
    known = {ref.id for ref in item.rows}
    problems = [
        Problem(f"第{e.evaluation_indicator_id}号指标行不属于项目“{item.key}”的自评表")
        for e in edit.items
        if e.evaluation_indicator_id not in known
    ]
    reviews = []
    for ind, ref in zip(item.input.indicators, item.rows, strict=True):
        e = by_id.get(ref.id)
        if e is None:
            reviews.append(IndicatorReview())
            continue
        problems += _edit_problems(ind, e)
        reviews.append(_indicator_review(ind, e))
    if problems:
        raise ValidationFailed(problems, f"复核内容有 {len(problems)} 处问题，未保存：")
    return reviews


def _edit_problems(ind: IndicatorInput, e: ReviewItemEdit) -> list[Problem]:
    at = f"指标“{ind.name}”"
    problems = []
    if e.reviewed_band is not None and ind.comparator is not Comparator.QUALITATIVE:
        problems.append(Problem(f"{at}是定量指标，不能选择定性档次"))
    if e.deduction is DeductionReason.OTHER:
        if not e.note.strip():
            problems.append(Problem(f"{at}选择“其他”扣分，须在备注中写明理由"))
        if e.reviewed_score is None:
            problems.append(Problem(f"{at}选择“其他”扣分，须填写复核得分"))
    score = e.reviewed_score
    if score is not None and not Decimal(0) <= score <= ind.points:
        problems.append(Problem(f"{at}复核得分{plain(score)}应在0到{plain(ind.points)}之间"))
    return problems


def _require_reasons(
    item: LoadedEvaluation,
    reviews: Sequence[IndicatorReview],
    scores: Sequence[IndicatorScore],
    rules: RuleSet,
) -> None:
    """docs/domain.md §7: every deduction needs a reason. A row the reviewer's entries push below
    its 自评得分 needs a standard reason or 其他 with a note. The rules' own recalculation of
    the self values (an inflated claim) is not the reviewer's deduction: its reason is the
    rule, shown on the row, so the threshold is the lower of the claim and the rule score."""
    own = score_evaluation(item.input, rules).indicator_scores
    problems = []
    for ind, review, scored, mine in zip(item.input.indicators, reviews, scores, own, strict=True):
        claimed = ind.claimed_score
        basis = mine.score if claimed is None else min(claimed, mine.score)
        if scored.score >= basis or _has_reason(review):
            continue
        recalculated = claimed is not None and basis < claimed
        what = "按自评完成值计算的得分" if recalculated else "自评得分"
        problems.append(
            Problem(
                f"指标“{ind.name}”复核得分{plain(scored.score)}低于{what}{plain(basis)}，"
                "须选择扣分原因（或选“其他”并在备注中写明理由）"
            )
        )
    if problems:
        raise ValidationFailed(problems, f"有 {len(problems)} 项扣分未写明原因，未保存：")


def _has_reason(review: IndicatorReview) -> bool:
    if review.deduction is None:
        return False
    return review.deduction.scores_zero or bool(review.note.strip())


def _indicator_review(ind: IndicatorInput, e: ReviewItemEdit) -> IndicatorReview:
    qualitative = ind.comparator is Comparator.QUALITATIVE
    other = e.deduction is DeductionReason.OTHER
    return IndicatorReview(
        reviewed_actual=e.reviewed_value,
        reviewed_band=e.reviewed_band,
        reviewed_entered_score=e.reviewed_score if qualitative and e.deduction is None else None,
        deduction=e.deduction,
        deducted_score=e.reviewed_score if other else None,
        note=e.note,
    )


def _store_items(
    review: Review, item: LoadedEvaluation, edit: ReviewEdit, scores: Sequence[IndicatorScore]
) -> None:
    existing = {i.evaluation_indicator_id: i for i in review.items}
    by_id = {e.evaluation_indicator_id: e for e in edit.items}
    for ref, scored in zip(item.rows, scores, strict=True):
        e = by_id.get(ref.id, ReviewItemEdit(ref.id))
        row = existing.get(ref.id)
        if row is None:
            row = ReviewItem(evaluation_indicator_id=ref.id)
            review.items.append(row)
        row.reviewed_value = e.reviewed_value
        row.reviewed_text = e.reviewed_band.value if e.reviewed_band else e.reviewed_text
        row.reviewed_score = scored.score
        row.deduction_reason = e.deduction.value if e.deduction else ""
        row.note = e.note
