"""结果应用 through the service: proposals from grades, monitoring and ex-ante; decisions."""

from decimal import Decimal as D

import pytest

from app.domain.errors import UserError
from app.domain.review import DeductionReason
from app.services.results.records import decide_adjustment, propose_results, results_by_department
from app.services.spotcheck import (
    ReviewEdit,
    ReviewItemEdit,
    draw_sample,
    review_sheet,
    save_review,
)
from app.storage.models import Department, MonitoringEntry, MonitoringRound, PreAssessment
from tests import factories

# 10 + 5 + 30 + 6.12 + 0 + 0 (missed) = 51.12 → 差
POOR = {"补助学生人数": "300", "家庭经济困难学生资助覆盖率": "20", "受助学生满意度": "0"}


@pytest.fixture
def county(db):
    with db.transaction() as s:
        projects = factories.small_county(s, 2025, per_department=1)
        factories.self_evaluation(s, projects[0], POOR)  # 219001001: 差 by the rules
        factories.self_evaluation(s, projects[1], {"家庭经济困难学生资助覆盖率": "19.6"})
        factories.self_evaluation(s, projects[2])
        factories.self_evaluation(s, projects[3])
    return projects


def _by_code(rows):
    return {r.project_code: r for r in rows}


def test_fair_and_poor_grades_propose_cuts_from_this_years_budget(db, rules, county):
    rows = _by_code(propose_results(db, 2025, rules))
    poor, fair, good = rows["219001001"], rows["219002001"], rows["301001001"]
    assert (poor.grade, poor.grade_source, poor.action) == ("差", "自评", "调减")
    assert (poor.base, poor.proposed_cut) == (D(100000), D(50000))
    assert poor.basis.endswith("（或取消项目）")
    assert (fair.grade, fair.base, fair.proposed_cut, fair.action) == (
        "中",
        D(200000),
        D(40000),
        "调减",
    )
    assert (good.grade, good.proposed_cut, good.action) == ("优", D(0), "保持")


def test_a_review_grade_wins_over_the_self_grade(db, rules, county):
    result = draw_sample(db, 2025, rules, seed=1, ratio=D(1))
    item = next(i for s in result.sections for i in s.items if i.project_code == "301001001")
    sheet = review_sheet(db, item.sample_id, rules)
    cut = ReviewItemEdit(
        sheet.rows[4].evaluation_indicator_id, deduction=DeductionReason.NO_EVIDENCE
    )
    save_review(db, item.sample_id, ReviewEdit(items=(cut,)), rules)  # 100 − 30 = 70 → 中
    row = _by_code(propose_results(db, 2025, rules))["301001001"]
    assert (row.grade, row.grade_source, row.proposed_cut) == ("中", "复核", D(20000))


def test_monitoring_suspension_and_next_years_ex_ante_cut(db, rules, county):
    with db.transaction() as s:
        rnd = MonitoringRound(year_id=county[3].year_id, month=9)
        rnd.entries.append(
            MonitoringEntry(project_id=county[3].id, initial_budget=D(1), adjusted_budget=D(1),
                            spent=D(0), conclusion="暂停拨款")
        )  # fmt: skip
        s.add(rnd)
        nxt = factories.year(s, 2026)
        dept = s.get(Department, county[2].department_id)
        ahead = factories.project_with_goal(
            s, nxt, dept, factories.ProjectSpec(county[2].code, amount_yuan=D(500000))
        )
        s.add(PreAssessment(project_id=ahead.id, requested_amount=D(500000),
                            approved_amount=D(400000)))  # fmt: skip
    rows = _by_code(propose_results(db, 2025, rules))
    suspended = rows[county[3].code]
    assert (suspended.action, suspended.proposed_cut) == ("暂缓安排", suspended.base)
    ex_ante = rows[county[2].code]
    assert (ex_ante.base, ex_ante.proposed_cut) == (D(500000), D(100000))
    assert ex_ante.basis.startswith("事前绩效评估部分支持，核减10.00万元")


def test_decisions_need_a_reason_when_they_differ_and_survive_a_rerun(db, rules, county):
    poor = _by_code(propose_results(db, 2025, rules))["219001001"]
    with pytest.raises(UserError, match=r"与建议的5\.00万元不同，须填写理由"):
        decide_adjustment(db, poor.adjustment_id, D(100000))
    with pytest.raises(UserError, match=r"调减数应在0到10\.00万元之间"):
        decide_adjustment(db, poor.adjustment_id, D(100001), "超过")
    accepted = decide_adjustment(db, poor.adjustment_id, D(50000))
    assert (accepted.decided_cut, accepted.final_amount) == (D(50000), D(50000))
    changed = decide_adjustment(db, poor.adjustment_id, D(100000), "项目已完成使命，取消")
    assert changed.decision_reason == "项目已完成使命，取消" and changed.decided_by
    again = _by_code(propose_results(db, 2025, rules))["219001001"]
    assert (again.adjustment_id, again.decided_cut, again.proposed_cut) == (
        poor.adjustment_id, D(100000), D(50000),
    )  # fmt: skip


def test_results_are_grouped_per_department(db, rules, county):
    propose_results(db, 2025, rules)
    groups = results_by_department(db, 2025)
    assert [(g.department, len(g.rows)) for g in groups] == [
        ("县教育局", 1), ("县卫生健康局", 1), ("县农业农村局", 1), ("县水利局", 1),
    ]  # fmt: skip
    assert groups[0].proposed_cut == D(50000) and groups[0].base == D(100000)
