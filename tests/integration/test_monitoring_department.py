"""部门整体 monitoring: department-wide goals in every round, lamps, entering, closing."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import DeviationCategory, GoalStatus, Lamp
from app.domain.errors import UserError, ValidationFailed
from app.services.monitoring import close_round, open_round
from app.services.monitoring.department import department_round_rows
from app.services.monitoring.department_entries import DepartmentEdit, update_department_entry
from app.services.monitoring.entries import IndicatorEdit
from app.storage.models import AuditEntry, Department
from tests import factories

D = Decimal


@pytest.fixture
def county(db):
    """monitoring_county plus department-wide goals: two approved, one draft, one deleted."""
    with db.transaction() as s:
        factories.monitoring_county(s)
        fy = factories.year(s, 2025)
        depts = {d.code: d for d in s.scalars(select(Department))}
        factories.department_goal(s, fy, depts["219001"], D(5_000_000))
        factories.department_goal(s, fy, depts["301002"], D(100_000))
        factories.department_goal(s, fy, depts["219002"], status=GoalStatus.SUBMITTED)
        factories.department_goal(s, fy, depts["301001"]).deleted_at = datetime(2025, 2, 1)
    return db


def edit(row, basic=("2000000", "0"), project=("3000000", "0"), **kw) -> DepartmentEdit:
    return DepartmentEdit(D(basic[0]), D(basic[1]), D(project[0]), D(project[1]), **kw)


def test_a_round_lists_every_approved_department_goal_with_its_opening_money(county, rules):
    summary = open_round(county, 2025, 3, rules)
    assert (summary.project_count, summary.department_count) == (4, 2)
    rows = department_round_rows(county, 2025, 3, rules)
    assert [r.department_code for r in rows] == ["219001", "301002"]
    edu, water = rows
    # 219001's live projects: 219001001 (10 万) and a submitted one (120 万); basic = the rest.
    assert (edu.project_initial, edu.basic_initial) == (D(1_300_000), D(3_700_000))
    assert (edu.adjusted_budget, edu.spent) == (D(5_000_000), D(0))
    # 301002's project (20 万) exceeds its stated 10 万: no negative basic budget.
    assert (water.project_initial, water.basic_initial) == (D(200_000), D(0))
    assert [i.name for i in edu.indicators][:2] == ["重点工作完成数", "“三公”经费控制率"]
    assert edu.budget_lamp is Lamp.RED  # nothing spent at 3/12
    assert edu.section == "教科文股"


def test_lamps_need_reasons_before_the_round_closes(county, rules):
    open_round(county, 2025, 10, rules)
    with county.transaction() as s:
        factories.explain_budget_lamps(s)  # an edit below replaces 219001's with none
    edu, water = department_round_rows(county, 2025, 10, rules)
    # 2,700,000 of 5,000,000 = 54% at 序时进度 83.33%: 64.8% → yellow.
    result = update_department_entry(
        county, edu.entry_id, edit(edu, ("2000000", "1800000"), ("3000000", "900000")), rules
    )
    assert result.row.budget_lamp is Lamp.YELLOW
    assert result.row.execution_rate == D("0.54")
    assert [p.message for p in result.problems] == [
        "部门整体 219001（县教育局）：预算执行为黄灯，须选择偏差原因类别",
        "部门整体 219001（县教育局）：预算执行为黄灯，须填写偏差原因说明",
    ]
    spent_all = edit(water, ("0", "0"), ("200000", "200000"))
    update_department_entry(county, water.entry_id, spent_all, rules)
    with pytest.raises(ValidationFailed) as refused:
        close_round(county, 2025, 10, rules)
    assert [(p.project_code, p.column) for p in refused.value.problems] == [
        ("219001", "预算偏差原因类别"),
        ("219001", "预算偏差原因"),
    ]
    explained = edit(
        edu,
        ("2000000", "1800000"),
        ("3000000", "900000"),
        budget_deviation_category=DeviationCategory.FUNDING.value,
        budget_deviation_reason="上级专项资金10月底才下达",
        budget_corrective_action="资金到位后一周内拨付",
    )
    row = update_department_entry(county, edu.entry_id, explained, rules).row
    assert row.reasons == (
        "预算执行：经费保障——上级专项资金10月底才下达；纠偏措施：资金到位后一周内拨付",
    )
    assert row.missing_reasons == ()
    assert close_round(county, 2025, 10, rules).department_count == 2


def test_indicator_progress_is_lit_and_carried_into_the_next_round(county, rules):
    open_round(county, 2025, 9, rules)
    edu = department_round_rows(county, 2025, 9, rules)[0]
    ids = [i.indicator_id for i in edu.indicators]
    progress = (
        IndicatorEdit(ids[0], current_value=D(9)),  # 9 of 12 × 9/12 = 100% → green
        IndicatorEdit(
            ids[1],
            current_value=D(104),
            deviation_category=DeviationCategory.SYSTEM.value,
            deviation_reason="接待制度执行不严",
        ),  # ≤100% exceeded → red
        IndicatorEdit(ids[2], current_text="部分达成"),  # yellow
    )
    spent = edit(edu, ("2000000", "1500000"), ("3000000", "2250000"), indicators=progress)
    row = update_department_entry(county, edu.entry_id, spent, rules).row
    assert [i.lamp for i in row.indicators] == [Lamp.GREEN, Lamp.RED, Lamp.YELLOW, None]
    assert row.budget_lamp is Lamp.GREEN
    assert row.department_lamp is Lamp.RED
    assert [p.indicator for p in row.missing_reasons] == [3, 3]  # only the 定性 row lacks one

    open_round(county, 2025, 10, rules)
    carried = department_round_rows(county, 2025, 10, rules)[0]
    assert (carried.basic_spent, carried.project_spent) == (D(1_500_000), D(2_250_000))
    assert [i.current for i in carried.indicators][:3] == ["9项", "104%", "部分达成"]
    assert carried.indicators[1].deviation_reason == "接待制度执行不严"


def test_bad_figures_save_nothing_and_a_closed_round_is_refused(county, rules):
    open_round(county, 2025, 3, rules)
    edu = department_round_rows(county, 2025, 3, rules)[0]
    with pytest.raises(ValidationFailed) as refused:
        update_department_entry(
            county, edu.entry_id, edit(edu, ("-1", "0"), conclusion="随便"), rules
        )
    assert [p.message for p in refused.value.problems] == [
        "部门整体 219001：基本支出调整后预算不能为负数（-1 元）",
        "部门整体 219001：处理意见“随便”不是可选项"
        "（无问题 / 整改 / 调整预算 / 暂停拨款 / 暂缓实施）",
    ]
    assert department_round_rows(county, 2025, 3, rules)[0].basic_adjusted == D(3_700_000)
    over = update_department_entry(county, edu.entry_id, edit(edu, ("100", "150")), rules)
    assert [p.message for p in over.warnings] == [
        "部门整体 219001：基本支出执行数 150 元超过调整后预算 100 元，请核实"
    ]
    with county.session() as s:
        logged = s.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "monitoring_department_entry")
        ).all()
    assert [e.object_label for e in logged] == ["2025年3月 部门整体 219001"]
    update_department_entry(
        county,
        edu.entry_id,
        edit(
            edu,
            ("100", "100"),
            ("3000000", "750000"),
        ),
        rules,
    )
    with county.transaction() as s:
        factories.explain_budget_lamps(s)
    close_round(county, 2025, 3, rules)
    with pytest.raises(UserError, match="已关闭，不能修改部门整体 219001"):
        update_department_entry(county, edu.entry_id, edit(edu), rules)
