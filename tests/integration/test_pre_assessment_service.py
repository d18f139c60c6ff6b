"""Ex-ante assessment services: triggers from the data, exemptions, recording, summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.errors import StaleRecordError, UserError, ValidationFailed
from app.domain.money import format_percent
from app.domain.pre_assessment import Exemption
from app.services.assessment.records import (
    AssessmentInput,
    assessment_candidates,
    assessment_summary,
    load_assessment,
    record_assessment,
    set_exemption,
)
from app.services.common.recycle_bin import delete_project
from app.storage.models import AuditEntry, Project
from tests import factories

WAN = Decimal(10000)
NEW, CONTINUING = ProjectKind.NEW, ProjectKind.CONTINUING


def _projects(db, rows) -> dict[str, int]:
    """rows: (year, code, kind, amount 元, years of 实施期). Returns code → id of 2025 ones."""
    with db.transaction() as s:
        dept = factories.department(s, "219001", "县教育局")
        ids = {}
        for year, code, kind, amount, years in rows:
            fy = factories.year(s, year)
            spec = factories.ProjectSpec(code=code, kind=kind, amount_yuan=amount)
            project = factories.project_with_goal(s, fy, dept, spec)
            project.end_year = year + years - 1
            if year == 2025:
                ids[code] = project.id
        return ids


def _candidates(db, rules) -> dict[str, object]:
    return {row.project_code: row for row in assessment_candidates(db, 2025, rules)}


def test_candidates_at_the_thresholds(db, rules):
    _projects(
        db,
        [
            (2025, "N-AT", NEW, 400 * WAN, 1),
            (2025, "N-BELOW", NEW, 400 * WAN - Decimal("0.01"), 1),
            (2024, "C-30", CONTINUING, 100 * WAN, 1),
            (2025, "C-30", CONTINUING, 130 * WAN, 1),
            (2024, "C-29", CONTINUING, 100 * WAN, 1),
            (2025, "C-29", CONTINUING, 130 * WAN - Decimal("0.01"), 1),
            (2024, "C-400", CONTINUING, 2000 * WAN, 1),
            (2025, "C-400", CONTINUING, 2400 * WAN, 1),  # +20 %, but +400万
            (2024, "OTHER", CONTINUING, 100 * WAN, 1),
            (2025, "C-NOBASE", CONTINUING, 500 * WAN, 1),  # last year's code differs
            (2025, "Y-4", NEW, 10 * WAN, 4),
            (2025, "Y-3", NEW, 10 * WAN, 3),
        ],
    )
    rows = _candidates(db, rules)
    assert sorted(rows) == ["C-30", "C-400", "C-NOBASE", "N-AT", "Y-4"]
    assert all(row.required and row.approval_blocked for row in rows.values())
    assert rows["C-30"].last_year_amount == 100 * WAN
    assert rows["C-30"].reasons == ("比上年 100.00 万元增长 30.00%，达到 30.00%",)
    assert rows["C-400"].reasons == ("比上年增加 400.00 万元，达到 400 万元",)
    assert rows["C-NOBASE"].last_year_amount is None
    assert "上年无同编码项目" in rows["C-NOBASE"].reasons[0]
    assert rows["N-AT"].reasons == ("新增项目金额 400.00 万元，达到 400 万元",)
    assert rows["Y-4"].reasons == ("实施期 2025—2028 年共 4 年，超过 3 年",)
    assert rows["Y-4"].department_code == "219001" and rows["Y-4"].conclusion is None


def test_exemption_keeps_the_project_listed_but_not_required(db, rules):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    with pytest.raises(UserError, match="项目 N-1：免于事前评估须选择类别"):
        set_exemption(db, ids["N-1"], True, "")
    set_exemption(db, ids["N-1"], True, "防汛抢险", Exemption.EMERGENCY)
    row = _candidates(db, rules)["N-1"]
    assert (row.required, row.exempt, row.approval_blocked) == (False, True, False)
    assert row.exemption_text == "属应急救灾事项（防汛抢险），免于事前绩效评估"
    with db.session() as s:
        assert s.get(Project, ids["N-1"]).exempt_reason == "应急救灾：防汛抢险"
    set_exemption(db, ids["N-1"], False)
    assert _candidates(db, rules)["N-1"].required
    with db.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["设置免于事前评估", "取消免于事前评估"]


def test_an_exemption_changed_by_another_seat_is_not_overwritten(db, rules):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    seen = _candidates(db, rules)["N-1"]  # both seats list the project, not exempt
    assert seen.stored_exemption == ""
    set_exemption(db, ids["N-1"], True, "防汛抢险", Exemption.EMERGENCY, loaded="")
    with pytest.raises(StaleRecordError, match=r"项目 N-1 的免评设置已被.*设置免于事前评估"):
        set_exemption(db, ids["N-1"], True, "省厅文件", Exemption.MANDATED, loaded="")
    with db.session() as s:
        assert s.get(Project, ids["N-1"]).exempt_reason == "应急救灾：防汛抢险"
    again = _candidates(db, rules)["N-1"]
    assert again.stored_exemption == "应急救灾：防汛抢险"
    set_exemption(db, ids["N-1"], False, loaded=again.stored_exemption)  # seen: accepted
    assert _candidates(db, rules)["N-1"].required


def test_an_exemption_for_a_project_binned_since_is_refused(db, rules):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    delete_project(db, ids["N-1"])
    with pytest.raises(StaleRecordError, match="删除或移入回收站"):
        set_exemption(db, ids["N-1"], True, "防汛抢险", Exemption.EMERGENCY, loaded="")
    with db.session() as s:
        assert not s.get(Project, ids["N-1"]).pre_assessment_exempt


def _input(conclusion, requested, approved, **kw) -> AssessmentInput:
    return AssessmentInput(
        "优", "良", "良", "中", "优", conclusion, requested, approved, date(2025, 3, 18), **kw
    )


def test_assessment_validation_collects_every_problem(db):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    bad = replace(
        _input(AssessmentConclusion.PARTIAL, 500 * WAN, 500 * WAN),
        economy="较好",
        assessed_on=None,
    )
    with pytest.raises(ValidationFailed) as caught:
        record_assessment(db, ids["N-1"], bad)
    assert [p.column for p in caught.value.problems] == ["投入经济性", "审定金额", "评估日期"]
    assert "项目 N-1" in caught.value.message
    for conclusion, approved in (
        (AssessmentConclusion.SUPPORT, 400 * WAN),
        (AssessmentConclusion.REJECT, WAN),
        (AssessmentConclusion.PARTIAL, None),
        (AssessmentConclusion.PARTIAL, Decimal(0)),
    ):
        with pytest.raises(ValidationFailed, match="审定金额"):
            record_assessment(db, ids["N-1"], _input(conclusion, 500 * WAN, approved))
    assert load_assessment(db, ids["N-1"]) is None


def test_recording_replaces_and_fills_in_the_implied_amount(db):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    first = record_assessment(db, ids["N-1"], _input(AssessmentConclusion.SUPPORT, 500 * WAN, None))
    assert first.data.approved == 500 * WAN and first.cut == 0
    record_assessment(
        db, ids["N-1"], _input(AssessmentConclusion.REJECT, 500 * WAN, None, assessor="张评")
    )
    stored = load_assessment(db, ids["N-1"])
    assert stored is not None
    assert (stored.data.conclusion, stored.data.approved, stored.cut) == (
        AssessmentConclusion.REJECT,
        Decimal(0),
        500 * WAN,
    )
    assert stored.data.assessor == "张评"
    with db.session() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.object_label) for e in entries] == [("录入事前绩效评估", "N-1")] * 2
    assert '"结论": "予以支持"' in entries[1].before_json


def test_summary_matches_the_citys_figures(db):
    ids = _projects(
        db,
        [
            (2025, "A", NEW, Decimal("240532200"), 1),
            (2025, "B", NEW, 100 * WAN, 1),
            (2024, "OLD", NEW, 100 * WAN, 1),
        ],
    )
    submitted, approved = Decimal("240532200"), Decimal("148928900")
    record_assessment(db, ids["A"], _input(AssessmentConclusion.PARTIAL, submitted, approved))
    summary = assessment_summary(db, 2025)
    assert (summary.count, summary.submitted, summary.approved, summary.cut) == (
        1,
        submitted,
        approved,
        Decimal("91603300"),
    )
    assert format_percent(summary.cut_rate) == "38.08%"
    record_assessment(db, ids["B"], _input(AssessmentConclusion.REJECT, 100 * WAN, None))
    summary = assessment_summary(db, 2025)
    assert (summary.count, summary.cut) == (2, Decimal("92603300"))
    assert assessment_summary(db, 2024).count == 0


def test_candidate_with_an_inverted_period_is_flagged(db, rules):
    ids = _projects(db, [(2025, "BAD", NEW, WAN, 1)])
    with db.transaction() as s:
        s.get(Project, ids["BAD"]).end_year = 2023
    row = _candidates(db, rules)["BAD"]
    assert row.required and "早于开始年份" in row.reasons[0]


def test_a_positive_conclusion_unblocks_the_candidate(db, rules):
    ids = _projects(db, [(2025, "N-1", NEW, 500 * WAN, 1)])
    record_assessment(db, ids["N-1"], _input(AssessmentConclusion.SUPPORT, 500 * WAN, None))
    row = _candidates(db, rules)["N-1"]
    assert (row.required, row.conclusion, row.approval_blocked) == (
        True,
        AssessmentConclusion.SUPPORT,
        False,
    )
