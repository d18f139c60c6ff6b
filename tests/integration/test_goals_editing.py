"""Goal editing on a real migrated database: load, save, reload, locks, live checks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.enums import Comparator, GoalStatus, ProjectKind, Scope
from app.domain.errors import UserError, ValidationFailed
from app.services.goals import (
    IndicatorRow,
    check_context,
    check_goal_edit,
    department_goal,
    goal_for_project,
    load_goal,
    save_goal,
)
from app.storage.models import AuditEntry, Department, Goal, Indicator
from tests import factories


def _project(db, status=GoalStatus.DRAFT, code="219001001", **spec):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = s.scalar(select(Department).where(Department.code == "219001"))
        if dept is None:
            dept = factories.department(s, "219001", "县教育局")
        spec = factories.ProjectSpec(code=code, status=status, **spec)
        return factories.project_with_goal(s, fy, dept, spec).id


def _actions(db):
    with db.session() as s:
        return [
            (a.action, a.object_label)
            for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_save_and_reload_keeps_exact_values_and_row_ids(db, rules):
    detail = goal_for_project(db, _project(db))
    assert (detail.year, detail.project_code, detail.status, detail.revision) == (
        2025,
        "219001001",
        GoalStatus.DRAFT,
        1,
    )
    rows = list(detail.indicators)
    rows[0] = replace(rows[0], target=Decimal("1250.5"), points=Decimal("15.25"))
    rows[1] = replace(rows[1], points=Decimal("14.75"))
    added = IndicatorRow("产出指标", "质量指标", "验收合格率", Comparator.GE, Decimal(98), unit="%")
    edit = replace(
        detail.to_edit(),
        project_name="学生营养改善计划（2025）",
        kind=ProjectKind.NEW,
        functional_class="2050202",
        start_year=2025,
        end_year=2026,
        total_amount=Decimal("1234567.89"),
        fiscal_amount=Decimal("1000000.01"),
        other_amount=Decimal("234567.88"),
        overall_target="保障全县学生营养餐供应。",
        long_term_target="学生体质健康达标率持续提高。",
        indicators=(rows[1], rows[0], *rows[2:], replace(added, points=Decimal(0))),
    )
    result = save_goal(db, detail.id, edit, rules)
    assert result.blocking == ()

    again = load_goal(db, detail.id)
    assert again.total_amount == Decimal("1234567.89")
    assert (again.fiscal_amount, again.other_amount) == (
        Decimal("1000000.01"),
        Decimal("234567.88"),
    )
    assert (again.kind, again.start_year, again.end_year) == (ProjectKind.NEW, 2025, 2026)
    assert again.project_name == "学生营养改善计划（2025）"
    assert again.long_term_target == "学生体质健康达标率持续提高。"
    assert again.parent_department == "县教育局"  # no parent: the unit is its own 主管部门
    assert [r.name for r in again.indicators[:2]] == ["资金发放准确率", "补助学生人数"]
    assert again.indicators[1].id == rows[0].id  # moved row keeps its id
    assert again.indicators[1].target == Decimal("1250.5")
    assert again.indicators[1].points == Decimal("15.25")
    assert again.indicators[-1].name == "验收合格率" and again.indicators[-1].id is not None
    assert len(again.indicators) == 7
    assert again.status is GoalStatus.DRAFT
    assert ("修改绩效目标", "项目 219001001") in _actions(db)


def test_blank_cells_and_placeholder_rows(db, rules):
    detail = goal_for_project(db, _project(db))
    blank = IndicatorRow("产出指标", "数量指标", "培训人次", None, None, unit="人次")
    placeholder = IndicatorRow("效益指标", "生态效益指标", "", None, None)
    edit = replace(detail.to_edit(), indicators=(*detail.indicators, blank, placeholder))
    result = save_goal(db, detail.id, edit, rules)
    located = {(p.row, p.column) for p in result.blocking}
    assert (7, "指标性质") in located and (7, "分值") in located
    again = load_goal(db, detail.id)
    assert len(again.indicators) == 7  # placeholder dropped
    assert again.indicators[-1].comparator is None
    assert again.indicators[-1].points == Decimal(0)  # NOT NULL column: blank kept as 0


@pytest.mark.parametrize("status", [GoalStatus.SUBMITTED, GoalStatus.APPROVED])
def test_submitted_and_approved_goals_cannot_be_edited(db, rules, status):
    detail = goal_for_project(db, _project(db, status=status))
    edit = replace(detail.to_edit(), overall_target="改过的目标")
    with pytest.raises(UserError, match=f"项目 219001001.*{status.value}.*不能修改"):
        save_goal(db, detail.id, edit, rules)
    assert load_goal(db, detail.id).overall_target == detail.overall_target
    assert not any(action == "修改绩效目标" for action, _ in _actions(db))


def test_unchanged_save_writes_no_audit_entry(db, rules):
    detail = goal_for_project(db, _project(db))
    save_goal(db, detail.id, detail.to_edit(), rules)
    assert not any(action == "修改绩效目标" for action, _ in _actions(db))


def test_values_the_database_cannot_hold_refuse_the_save(db, rules):
    detail = goal_for_project(db, _project(db))
    rows = list(detail.indicators)
    rows[2] = replace(rows[2], unit="个" * 31)
    edit = replace(detail.to_edit(), indicators=tuple(rows), total_amount=Decimal("1.005"))
    with pytest.raises(ValidationFailed) as caught:
        save_goal(db, detail.id, edit, rules)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(3, "计量单位"), (None, "资金总额")}
    assert "项目 219001001" in caught.value.message
    assert load_goal(db, detail.id).indicators[2].unit == detail.indicators[2].unit


def test_header_problems_are_reported(db, rules):
    detail = goal_for_project(db, _project(db))
    edit = replace(
        detail.to_edit(), fund_source="自筹", functional_class="20505X", start_year=2026,
        end_year=2025,
    )  # fmt: skip
    problems = save_goal(db, detail.id, edit, rules).blocking
    assert {p.column for p in problems} == {"资金来源", "功能分类科目", "实施期"}


def test_goal_for_project_creates_a_missing_goal_once(db):
    project_id = _project(db)
    with db.transaction() as s:
        s.delete(s.scalar(select(Goal).where(Goal.project_id == project_id)))
    first = goal_for_project(db, project_id)
    second = goal_for_project(db, project_id)
    assert first.id == second.id and first.indicators == ()
    assert _actions(db).count(("新建绩效目标", "项目 219001001")) == 1


def test_department_goal_is_created_once_and_keeps_its_budget(db, rules):
    _project(db)
    with db.session() as s:
        dept_id = s.scalar(select(Department.id).where(Department.code == "219001"))
    detail = department_goal(db, 2025, dept_id)
    assert department_goal(db, 2025, dept_id).id == detail.id
    assert (detail.scope, detail.budget_amount, detail.label) == (
        Scope.DEPARTMENT,
        None,
        "单位 219001 部门整体",
    )
    rows = load_goal(db, goal_for_project(db, _project(db, code="219001002")).id).indicators
    edit = replace(
        detail.to_edit(),
        budget_amount=Decimal("8800000.50"),
        overall_target="完成年度教育事业发展任务。",
        indicators=tuple(replace(r, id=None) for r in rows),
    )
    assert save_goal(db, detail.id, edit, rules).blocking == ()
    assert load_goal(db, detail.id).budget_amount == Decimal("8800000.50")
    with pytest.raises(UserError, match="2030 年度尚未建立"):
        department_goal(db, 2030, dept_id)
    with db.session() as s:
        assert s.scalar(select(func.count(Indicator.id)).where(Indicator.goal_id == detail.id)) == 6


def test_live_check_flags_text_copied_from_another_department(db, rules):
    text = "提高农村饮水安全保障水平。"
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        water = factories.department(s, "301002", "县水利局", "农业农村股")
        farm = factories.department(s, "301001", "县农业农村局", "农业农村股")
        spec = factories.ProjectSpec
        factories.project_with_goal(s, fy, water, spec("301002001", overall_target=text))
        factories.project_with_goal(s, fy, farm, spec("301001002", overall_target="农田建设。"))
        mine = factories.project_with_goal(s, fy, farm, spec("301001001", status=GoalStatus.DRAFT))
    detail = goal_for_project(db, mine.id)
    context = check_context(db, detail.id)
    copied = check_goal_edit(replace(detail.to_edit(), overall_target=text), rules, context)
    warnings = [p for p in copied if p.column == "年度总体目标"]
    assert len(warnings) == 1 and not warnings[0].blocking
    assert "301002/301002001" in warnings[0].message
    # The same text within one department is not a copy from another department.
    own = check_goal_edit(replace(detail.to_edit(), overall_target="农田建设。"), rules, context)
    assert [p for p in own if p.column == "年度总体目标"] == []
