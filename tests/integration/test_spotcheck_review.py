"""Reviewing a sampled self-evaluation: the working paper, the re-score, 自评不实."""

from decimal import Decimal as D

import pytest

from app.domain.enums import Grade
from app.domain.errors import ValidationFailed
from app.domain.review import DeductionReason
from app.services.spotcheck import (
    ReviewEdit,
    ReviewItemEdit,
    draw_sample,
    review_list,
    review_sheet,
    save_review,
    start_review,
)
from tests import factories


@pytest.fixture
def sample_id(db, rules):
    with db.transaction() as s:
        for p in factories.small_county(s, 2025, per_department=1):
            factories.self_evaluation(s, p, claimed_total="100", claimed_grade="优")
    result = draw_sample(db, 2025, rules, seed=11)
    return result.sections[0].items[0].sample_id


def _row(db, rules, sample_id, name):
    return next(r for r in review_sheet(db, sample_id, rules).rows if r.name == name)


def test_the_sheet_shows_the_self_evaluation_beside_the_goal(db, rules, sample_id):
    assert start_review(db, sample_id) == start_review(db, sample_id)
    sheet = review_sheet(db, sample_id, rules)
    assert (sheet.status, sheet.self_total, sheet.computed_total) == ("草稿", D(100), D(100))
    assert sheet.overall_target.startswith("保障全县农村义务教育学生营养餐供应")
    cost = sheet.rows[3]
    assert (cost.level1, cost.level2, cost.name) == ("产出指标", "成本指标", "生均补助标准")
    assert (cost.nature, cost.target, cost.unit, cost.points) == ("≤", "650", "元/人·年", D(10))
    assert (cost.self_actual, cost.rule_score, cost.reviewed_score) == ("650", D(10), None)


def test_a_deduction_of_ten_points_flags_the_self_evaluation_as_inflated(db, rules, sample_id):
    row = _row(db, rules, sample_id, "资金拨付及时率")
    edit = ReviewEdit(
        items=(ReviewItemEdit(row.evaluation_indicator_id, deduction=DeductionReason.NO_EVIDENCE),)
    )
    out = save_review(db, sample_id, edit, rules, opinion="拨付凭证缺失。")
    assert (out.total, out.grade, out.self_total, out.deviation) == (
        D(90), Grade.EXCELLENT, D(100), D(-10),
    )  # fmt: skip
    assert out.inflated  # |100 − 90| ≥ 10 although the grade stays 优
    assert out.finding == "自评不实：自评100分（优），复核90分（优），相差10分"
    saved = _row(db, rules, sample_id, "资金拨付及时率")
    assert (saved.reviewed_score, saved.deviation, saved.deduction_reason) == (
        D(0), D(-10), "无佐证材料",
    )  # fmt: skip
    assert review_sheet(db, sample_id, rules).status == "已复核"


def test_a_small_deduction_is_not_inflated(db, rules, sample_id):
    row = _row(db, rules, sample_id, "资金拨付及时率")
    item = ReviewItemEdit(
        row.evaluation_indicator_id, reviewed_score=D("5.5"),
        deduction=DeductionReason.OTHER, note="部分资金延迟拨付",
    )  # fmt: skip
    out = save_review(db, sample_id, ReviewEdit(items=(item,)), rules)
    assert (out.total, out.inflated, out.finding) == (D("95.5"), False, "")
    assert out.rows[2].explanation == "复核扣分：部分资金延迟拨付，得 5.5（按规则10）"


def test_a_reviewed_actual_is_rescored_by_the_rules(db, rules, sample_id):
    row = _row(db, rules, sample_id, "补助学生人数")
    item = ReviewItemEdit(
        row.evaluation_indicator_id, reviewed_value=D(600), deduction=DeductionReason.OTHER,
        reviewed_score=D(10), note="名册核实仅600人",
    )  # fmt: skip
    out = save_review(db, sample_id, ReviewEdit(reviewed_spent=D(0), items=(item,)), rules)
    assert out.rows[0].score == D(10)  # 600/1200 × 20
    assert out.total == D(80)  # execution 0, indicators 80
    assert out.inflated and out.grade is Grade.GOOD


def test_bad_entries_are_all_reported_and_nothing_is_saved(db, rules, sample_id):
    sheet = review_sheet(db, sample_id, rules)
    items = (
        ReviewItemEdit(sheet.rows[0].evaluation_indicator_id, deduction=DeductionReason.OTHER),
        ReviewItemEdit(sheet.rows[1].evaluation_indicator_id, reviewed_score=D(11)),
        ReviewItemEdit(99999),
    )
    with pytest.raises(ValidationFailed) as caught:
        save_review(db, sample_id, ReviewEdit(items=items), rules)
    assert len(caught.value.problems) == 4
    assert review_sheet(db, sample_id, rules).status == "未开始"


def test_the_summary_counts_per_section_and_lists_the_inflated(db, rules, sample_id):
    row = _row(db, rules, sample_id, "家庭经济困难学生资助覆盖率")
    edit = ReviewEdit(
        items=(ReviewItemEdit(row.evaluation_indicator_id, deduction=DeductionReason.UNRELATED),)
    )
    save_review(db, sample_id, edit, rules)
    summary = review_list(db, 2025, rules)
    assert summary is not None
    assert [(c.section, c.population, c.drawn, c.reviewed, c.grade_changed, c.inflated)
            for c in summary.sections] == [
        ("教科文股", 2, 1, 1, 1, 1),
        ("农业农村股", 2, 1, 0, 0, 0),
    ]  # fmt: skip
    (bad,) = summary.inflated
    assert (bad.sample_id, bad.review_grade, bad.self_grade) == (
        sample_id,
        Grade.FAIR,
        Grade.EXCELLENT,
    )
    assert summary.grade_changes == (bad,)
