"""The review workflow on a real database: submit, approve, return, resubmit, bulk, history."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import AssessmentConclusion, Comparator, GoalStatus, ProjectKind
from app.domain.errors import UserError, ValidationFailed
from app.services.assessment.records import AssessmentInput, record_assessment
from app.services.goals import (
    approve_goal,
    approve_goals,
    department_goal,
    goal_for_project,
    goal_history,
    load_goal,
    return_goal,
    return_goals,
    save_goal,
    submit_goal,
)
from app.services.setup import operator
from app.storage.models import AuditEntry, GoalRevision, ReturnComment
from tests import factories

NO_UNIT = tuple(
    (l1, l2, name, comp, target, "" if name == "资金发放准确率" else unit, points)
    for l1, l2, name, comp, target, unit, points in factories.STANDARD_INDICATORS
)


def _goals(db, *specs: factories.ProjectSpec) -> list[int]:
    """Goal ids of projects created in 2025 under one department, reviewer named 李审核."""
    operator.choose("李审核")  # this seat's operator
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        projects = [factories.project_with_goal(s, fy, dept, spec) for spec in specs]
        return [p.goal.id for p in projects]


def _spec(code: str, status=GoalStatus.DRAFT, **kw) -> factories.ProjectSpec:
    return factories.ProjectSpec(code=code, status=status, **kw)


def _audit(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_submit_is_blocked_with_problems_located_by_row(db, rules):
    (goal_id,) = _goals(db, _spec("219001001", indicators=NO_UNIT))
    with pytest.raises(ValidationFailed) as caught:
        submit_goal(db, goal_id, rules)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "计量单位")]
    assert "项目 219001001" in caught.value.message
    assert "第2行“计量单位”列" in caught.value.message
    assert load_goal(db, goal_id).status is GoalStatus.DRAFT
    assert goal_history(db, goal_id) == []


def test_submit_then_approve_records_who_when_and_why(db, rules):
    (goal_id,) = _goals(db, _spec("219001001"))
    submitted = submit_goal(db, goal_id, rules)
    assert (submitted.status, submitted.revision) == (GoalStatus.SUBMITTED, 1)
    assert submitted.submitted_at is not None
    approved = approve_goal(db, goal_id, rules, note="指标设置合理")
    assert (approved.status, approved.reviewer) == (GoalStatus.APPROVED, "李审核")
    assert approved.reviewed_at is not None
    history = goal_history(db, goal_id)
    assert [(h.status_from, h.status_to, h.actor, h.reason) for h in history] == [
        ("草稿", "待审核", "李审核", "提交审核"),
        ("待审核", "已通过", "李审核", "指标设置合理"),
    ]
    assert history[0].changes == "首次记录，共 6 个指标"
    assert history[1].changes == "内容无变化"
    assert _audit(db) == ["绩效目标待审核", "绩效目标已通过"]
    with pytest.raises(UserError, match="只有“待审核”的目标可以审核通过"):
        approve_goal(db, goal_id, rules)


def test_return_with_row_reasons_then_edit_and_resubmit(db, rules):
    (goal_id,) = _goals(db, _spec("219001001", status=GoalStatus.SUBMITTED))
    rows = load_goal(db, goal_id).indicators
    returned = return_goal(
        db, goal_id, "请细化产出指标", {rows[0].id: "数量偏低", rows[4].id: "覆盖率口径不清"}
    )
    assert returned.status is GoalStatus.RETURNED and returned.return_reason == "请细化产出指标"
    assert [(c.row, c.indicator_name, c.text) for c in returned.return_comments] == [
        (None, "", "请细化产出指标"),
        (1, "补助学生人数", "数量偏低"),
        (5, "家庭经济困难学生资助覆盖率", "覆盖率口径不清"),
    ]
    assert "第1行“补助学生人数”：数量偏低" in goal_history(db, goal_id)[-1].reason

    edited = list(rows)
    edited[0] = replace(rows[0], target=Decimal(1500))
    edited[1] = replace(rows[1], points=Decimal(5))
    extra = replace(rows[1], name="营养餐抽检合格率", points=Decimal(5), id=None)
    edit = replace(returned.to_edit(), indicators=(*edited[:2], extra, *edited[2:]))
    assert save_goal(db, goal_id, edit, rules).blocking == ()
    assert load_goal(db, goal_id).status is GoalStatus.RETURNED  # saving does not resubmit

    resubmitted = submit_goal(db, goal_id, rules)
    assert (resubmitted.status, resubmitted.revision) == (GoalStatus.SUBMITTED, 2)
    last = goal_history(db, goal_id)[-1]
    assert (last.revision, last.status_from, last.status_to) == (2, "已退回", "待审核")
    assert last.changes.splitlines() == [
        "第1行指标“补助学生人数”：指标值 ≥1200人 → ≥1500人",
        "第2行指标“资金发放准确率”：分值 10 → 5",
        "新增第3行指标“营养餐抽检合格率”（=100%）",
    ]
    with db.session() as s:
        comments = s.scalars(select(ReturnComment).where(ReturnComment.goal_id == goal_id))
        assert {c.revision for c in comments} == {1}
        snapshots = [json.loads(r.snapshot_json) for r in s.scalars(select(GoalRevision))]
    assert snapshots[-1]["indicators"][0]["指标值"] == "≥1500人"
    assert snapshots[0]["indicators"][0]["指标值"] == "≥1200人"


def test_return_needs_a_reason_and_the_goals_own_rows(db, rules):
    first, second = _goals(
        db, _spec("219001001", GoalStatus.SUBMITTED), _spec("219001002", GoalStatus.SUBMITTED)
    )
    with pytest.raises(UserError, match="项目 219001001：退回时必须填写退回原因"):
        return_goal(db, first, "  ", {})
    other_row = load_goal(db, second).indicators[0].id
    with pytest.raises(UserError, match="不属于该绩效目标"):
        return_goal(db, first, "", {other_row: "不对"})
    assert load_goal(db, first).status is GoalStatus.SUBMITTED
    assert _audit(db) == []


def test_bulk_approve_approves_what_it_can_and_reports_the_rest(db, rules):
    ok, broken, draft, big = _goals(
        db,
        _spec("219001001", GoalStatus.SUBMITTED),
        _spec("219001002", GoalStatus.SUBMITTED, indicators=NO_UNIT),
        _spec("219001003", GoalStatus.DRAFT),
        _spec(
            "219001004",
            GoalStatus.SUBMITTED,
            kind=ProjectKind.NEW,
            amount_yuan=Decimal(4_000_000),
        ),
    )
    result = approve_goals(db, [ok, broken, draft, big, 999], rules)
    assert result.done == (ok,)
    refused = {r.goal_id: r for r in result.refused}
    assert list(refused) == [broken, draft, big, 999]
    assert refused[broken].project_code == "219001002"
    assert refused[broken].reasons == ("第2行“计量单位”列：定量指标缺少计量单位",)
    assert "草稿" in refused[draft].reasons[0]
    assert "需要事前绩效评估" in refused[big].reasons[0]
    assert "不存在" in refused[999].reasons[0]
    statuses = [load_goal(db, g).status for g in (ok, broken, draft, big)]
    assert statuses == [
        GoalStatus.APPROVED,
        GoalStatus.SUBMITTED,
        GoalStatus.DRAFT,
        GoalStatus.SUBMITTED,
    ]
    assert _audit(db) == ["绩效目标已通过"]


def test_bulk_return(db, rules):
    a, b = _goals(db, _spec("219001001", GoalStatus.SUBMITTED), _spec("219001002"))
    result = return_goals(db, [a, b], "资金测算依据不足")
    assert result.done == (a,) and [r.goal_id for r in result.refused] == [b]
    assert load_goal(db, a).return_reason == "资金测算依据不足"
    assert _audit(db) == ["绩效目标已退回"]


def _assessment(conclusion: AssessmentConclusion, approved: Decimal | None) -> AssessmentInput:
    return AssessmentInput(
        "优", "良", "良", "中", "优", conclusion, Decimal(5_000_000), approved, date(2025, 3, 1)
    )


def test_approval_needs_a_positive_ex_ante_conclusion(db, rules):
    spec = _spec("219001001", GoalStatus.SUBMITTED, kind=ProjectKind.NEW)
    (goal_id,) = _goals(db, replace(spec, amount_yuan=Decimal(5_000_000)))
    project_id = load_goal(db, goal_id).project_id
    with pytest.raises(UserError, match=r"项目 219001001 需要事前绩效评估.*尚未录入"):
        approve_goal(db, goal_id, rules)
    record_assessment(db, project_id, _assessment(AssessmentConclusion.REJECT, None))
    with pytest.raises(UserError, match="评估结论为“不予支持”"):
        approve_goal(db, goal_id, rules)
    record_assessment(db, project_id, _assessment(AssessmentConclusion.PARTIAL, Decimal(4_000_000)))
    assert approve_goal(db, goal_id, rules).status is GoalStatus.APPROVED


def test_goal_history_lists_header_changes(db, rules):
    (goal_id,) = _goals(db, _spec("219001001", GoalStatus.SUBMITTED))
    return_goal(db, goal_id, "金额有误")
    detail = load_goal(db, goal_id)
    rows = list(detail.indicators)
    rows[3] = replace(rows[3], comparator=Comparator.GE)  # a review finding, not blocking
    edit = replace(
        detail.to_edit(),
        total_amount=Decimal(1_500_000),
        fiscal_amount=Decimal(1_500_000),
        overall_target="新的目标。",
        indicators=tuple(rows),
    )
    assert save_goal(db, goal_id, edit, rules).blocking == ()
    submit_goal(db, goal_id, rules)
    changes = goal_history(db, goal_id)[-1].changes.splitlines()
    assert changes == [
        "资金总额：120.00 → 150.00 万元",
        "财政拨款：120.00 → 150.00 万元",
        "修改了年度总体目标",
        "第4行指标“生均补助标准”：指标值 ≤650元/人·年 → ≥650元/人·年",
    ]
    goal_for_project(db, detail.project_id)  # opening an existing goal changes nothing
    assert len(goal_history(db, goal_id)) == 2


def test_department_goal_goes_through_review_without_ex_ante(db, rules):
    (project_goal,) = _goals(db, _spec("219001001"))
    source = load_goal(db, project_goal)
    detail = department_goal(db, 2025, source.department_id)
    edit = replace(
        detail.to_edit(),
        overall_target="完成年度教育事业发展任务。",
        indicators=tuple(replace(r, id=None) for r in source.indicators),
    )
    with pytest.raises(ValidationFailed, match="单位 219001 部门整体"):
        submit_goal(db, detail.id, rules)  # no budget yet
    save_goal(db, detail.id, replace(edit, budget_amount=Decimal(9_000_000)), rules)
    submit_goal(db, detail.id, rules)
    result = approve_goals(db, [detail.id], rules)
    assert result.done == (detail.id,)
    assert load_goal(db, detail.id).status is GoalStatus.APPROVED
