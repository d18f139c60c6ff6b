"""QA round 2: every deduction needs a reason (docs/domain.md §7), enforced by save_review."""

from decimal import Decimal as D

import pytest

from app.domain.errors import ValidationFailed
from app.domain.review import DeductionReason
from app.services.spotcheck import (
    ReviewEdit,
    ReviewItemEdit,
    draw_sample,
    review_sheet,
    save_review,
)
from tests import factories


@pytest.fixture
def sample_id(db, rules):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=1):
            factories.self_evaluation(s, p, claimed_total="100", claimed_grade="优")
    return draw_sample(db, 2025, rules, seed=11).sections[0].items[0].sample_id


def _people(db, rules, sample_id):
    return next(r for r in review_sheet(db, sample_id, rules).rows if r.name == "补助学生人数")


def test_a_lower_review_value_without_a_reason_is_refused(db, rules, sample_id):
    row = _people(db, rules, sample_id)
    item = ReviewItemEdit(row.evaluation_indicator_id, reviewed_value=D(600))
    with pytest.raises(ValidationFailed) as caught:
        save_review(db, sample_id, ReviewEdit(items=(item,)), rules)
    (problem,) = caught.value.problems
    assert "指标“补助学生人数”复核得分10低于自评得分20" in problem.message
    assert "须选择扣分原因" in problem.message
    assert review_sheet(db, sample_id, rules).status == "未开始"  # nothing saved


def test_other_without_a_note_is_no_reason(db, rules, sample_id):
    row = _people(db, rules, sample_id)
    item = ReviewItemEdit(
        row.evaluation_indicator_id, reviewed_value=D(600), deduction=DeductionReason.OTHER,
        reviewed_score=D(10),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        save_review(db, sample_id, ReviewEdit(items=(item,)), rules)
    assert any("补助学生人数" in p.message for p in caught.value.problems)


def test_a_standard_reason_or_other_with_a_note_is_saved(db, rules, sample_id):
    row = _people(db, rules, sample_id)
    standard = ReviewItemEdit(row.evaluation_indicator_id, deduction=DeductionReason.NO_EVIDENCE)
    assert save_review(db, sample_id, ReviewEdit(items=(standard,)), rules).rows
    other = ReviewItemEdit(
        row.evaluation_indicator_id, reviewed_value=D(600), deduction=DeductionReason.OTHER,
        reviewed_score=D(10), note="名册核实仅600人",
    )  # fmt: skip
    out = save_review(db, sample_id, ReviewEdit(items=(other,)), rules)
    assert next(r for r in out.rows if r.name == "补助学生人数").score == D(10)


def test_an_unchanged_review_needs_no_reason(db, rules, sample_id):
    assert save_review(db, sample_id, ReviewEdit(), rules).total == D(100)
