"""The year's review summary: counts per 股室, grade changes, the 自评不实 list.

Feeds the 财政资金绩效自评抽查复核审核意见. The self side is the claimed total (else the
rule total) and claimed grade (else the grade of that total), as in the domain review.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain.enums import Grade
from app.domain.review import inflation_finding
from app.domain.rules import RuleSet
from app.domain.scoring import score_evaluation
from app.services.common import live
from app.services.evaluation import LoadedEvaluation, load_evaluations
from app.services.evaluation.inputs import parse_grade
from app.services.spotcheck.views import (
    REVIEWED,
    SampledItem,
    batch_of,
    batch_result,
)
from app.storage.database import Database
from app.storage.models import Review, SpotCheckSample


@dataclass(frozen=True)
class ReviewListRow:
    sample_id: int
    section: str
    project_code: str
    name: str
    department: str
    reason: str
    status: str
    self_total: Decimal
    self_grade: Grade
    review_total: Decimal | None
    review_grade: Grade | None
    deviation: Decimal | None  # review − self
    grade_changed: bool
    inflated: bool
    finding: str
    opinion: str


@dataclass(frozen=True)
class SectionCounts:
    section: str
    population: int
    drawn: int
    reviewed: int
    grade_changed: int
    inflated: int


@dataclass(frozen=True)
class ReviewSummary:
    year: int
    seed: int
    rule_text: str
    sections: tuple[SectionCounts, ...]
    rows: tuple[ReviewListRow, ...]

    @property
    def inflated(self) -> tuple[ReviewListRow, ...]:
        return tuple(r for r in self.rows if r.inflated)

    @property
    def grade_changes(self) -> tuple[ReviewListRow, ...]:
        return tuple(r for r in self.rows if r.grade_changed)


def review_list(db: Database, year: int, rules: RuleSet) -> ReviewSummary | None:
    """Every sampled project with its review state; None when no sample was drawn."""
    with db.session() as session:
        batch = batch_of(session, live.require_year_id(session, year))
        if batch is None:
            return None
        drawn = batch_result(session, batch, year)
        reviews = {
            r.sample_id: r
            for r in session.scalars(
                select(Review)
                .join(SpotCheckSample, Review.sample_id == SpotCheckSample.id)
                .where(SpotCheckSample.batch_id == batch.id)
            )
        }
        ids = [i.evaluation_id for s in drawn.sections for i in s.items]
        loaded = {e.id: e for e in load_evaluations(session, evaluation_ids=ids)}
    rows = [
        _list_row(
            section.section, item, loaded[item.evaluation_id], reviews.get(item.sample_id), rules
        )
        for section in drawn.sections
        for item in section.items
    ]
    counts = tuple(
        _counts(s.section, s.population, [r for r in rows if r.section == s.section])
        for s in drawn.sections
    )
    return ReviewSummary(year, drawn.seed, drawn.rule_text, counts, tuple(rows))


def _list_row(
    section: str,
    item: SampledItem,
    evaluation: LoadedEvaluation,
    review: Review | None,
    rules: RuleSet,
) -> ReviewListRow:
    own = score_evaluation(evaluation.input, rules)
    self_total = own.claimed_total if own.claimed_total is not None else own.total
    self_grade = own.claimed_grade or rules.grade_for(self_total)
    done = review is not None and review.status == REVIEWED and review.total is not None
    total = review.total if done and review else None
    grade = parse_grade(review.grade) if done and review else None
    finding = ""
    if total is not None and grade is not None:
        finding = inflation_finding(self_total, self_grade, total, grade, rules)
    return ReviewListRow(
        sample_id=item.sample_id,
        section=section,
        project_code=item.project_code,
        name=item.name,
        department=item.department,
        reason=item.reason,
        status=item.review_status,
        self_total=self_total,
        self_grade=self_grade,
        review_total=total,
        review_grade=grade,
        deviation=None if total is None else total - self_total,
        grade_changed=grade is not None and grade != self_grade,
        inflated=bool(finding),
        finding=finding,
        opinion=review.opinion if review else "",
    )


def _counts(section: str, population: int, rows: list[ReviewListRow]) -> SectionCounts:
    return SectionCounts(
        section=section,
        population=population,
        drawn=len(rows),
        reviewed=sum(r.review_total is not None for r in rows),
        grade_changed=sum(r.grade_changed for r in rows),
        inflated=sum(r.inflated for r in rows),
    )
