"""Entering a round's figures, its lamps, validation, closing and read-only closed rounds."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import DeviationCategory, Lamp
from app.domain.errors import UserError, ValidationFailed
from app.services.monitoring import (
    EntryEdit,
    IndicatorEdit,
    close_round,
    list_rounds,
    open_round,
    round_rows,
    update_entry,
)
from app.storage.models import AuditEntry
from tests import factories

CODE = "219001001"  # budget 100,000 元; 补助学生人数 ≥ 1200 人


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    return db


def row_of(db, rules, code=CODE, month=6):
    return next(r for r in round_rows(db, 2025, month, rules) if r.project_code == code)


def ids(row):
    return {i.name: i.indicator_id for i in row.indicators}


def on_pace(db, rules, *, but=CODE):
    """Spend half the budget by June on every project but one: no red budget lamp there."""
    for row in round_rows(db, 2025, 6, rules):
        if row.project_code != but:
            edit = EntryEdit(row.adjusted_budget, row.adjusted_budget / 2)
            update_entry(db, row.entry_id, edit, rules)


def students(row, value, **reason):
    return IndicatorEdit(ids(row)["补助学生人数"], current_value=Decimal(value), **reason)


@pytest.mark.parametrize(
    ("spent", "students_done", "budget_lamp", "indicator_lamp", "project_lamp"),
    [
        # June: 序时进度 50%; students due by June: 600.
        ("20000", 300, Lamp.RED, Lamp.RED, Lamp.RED),  # 0.2/0.5 = 40%; 300/600 = 50%
        ("35000", 450, Lamp.YELLOW, Lamp.YELLOW, Lamp.YELLOW),  # 70%; 75%
        ("50000", 600, Lamp.GREEN, Lamp.GREEN, Lamp.GREEN),  # 100%; 100%
        ("40000", 800, Lamp.GREEN, Lamp.BLUE, Lamp.BLUE),  # 80% (edge, green); 133%
        ("29999", 600, Lamp.RED, Lamp.GREEN, Lamp.RED),  # 59.998%: the project takes the worst
    ],
)
def test_update_entry_lights_the_lamps(
    june, rules, spent, students_done, budget_lamp, indicator_lamp, project_lamp
):
    row = row_of(june, rules)
    edit = EntryEdit(Decimal(100000), Decimal(spent), indicators=(students(row, students_done),))
    result = update_entry(june, row.entry_id, edit, rules)
    assert result.row.budget_lamp is budget_lamp
    assert result.row.indicators[0].lamp is indicator_lamp
    assert result.row.project_lamp is project_lamp
    assert result.row.execution_rate == Decimal(spent) / 100000
    # The lamps are the stored figures' lamps, not just the returned ones.
    assert row_of(june, rules).project_lamp is project_lamp


def test_a_within_target_indicator_is_green_or_red(june, rules):
    row = row_of(june, rules)
    accuracy = ids(row)["资金发放准确率"]  # = 100%
    edit = EntryEdit(
        Decimal(100000),
        Decimal(50000),
        indicators=(IndicatorEdit(accuracy, current_value=Decimal(98)),),
    )
    result = update_entry(june, row.entry_id, edit, rules)
    lamps = {i.name: i.lamp for i in result.row.indicators}
    assert lamps["资金发放准确率"] is Lamp.RED
    assert lamps["补助学生人数"] is None  # not reported yet: no lamp
    assert result.row.project_lamp is Lamp.RED
    assert any("资金发放准确率" in p.message and CODE in p.message for p in result.problems)


def test_every_problem_is_reported_and_nothing_is_saved(june, rules):
    row = row_of(june, rules)
    edit = EntryEdit(
        adjusted_budget=Decimal(-1),
        spent=Decimal(-5),
        conclusion="通过",
        indicators=(
            students(row, 600, likelihood="一定能", deviation_category="天气"),
            IndicatorEdit(999999, current_value=Decimal(1)),
            IndicatorEdit(ids(row)["受助学生满意度"], current_text="很满意"),
        ),
    )
    with pytest.raises(ValidationFailed) as caught:
        update_entry(june, row.entry_id, edit, rules)
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 7, messages
    assert all(CODE in m for m in messages)
    text = caught.value.message
    for expected in (
        "调整后预算不能为负数",
        "执行数不能为负数",
        "处理意见“通过”不是可选项",
        "指标“补助学生人数”：完成可能性“一定能”不是可选项",
        "偏差原因类别“天气”不是可选项",
        "编号 999999",
        "指标“受助学生满意度”为定量指标",
    ):
        assert expected in text
    assert row_of(june, rules) == row  # nothing saved


def test_spending_above_the_budget_is_only_a_warning(june, rules):
    row = row_of(june, rules)
    result = update_entry(june, row.entry_id, EntryEdit(Decimal(1000), Decimal(1500)), rules)
    assert [p.message for p in result.warnings] == [
        f"项目 {CODE}：执行数 1500 元超过调整后预算 1000 元，请核实"
    ]
    assert row_of(june, rules).spent == Decimal(1500)


def test_update_writes_an_audit_entry_with_before_and_after(june, rules):
    row = row_of(june, rules)
    edit = EntryEdit(Decimal(100000), Decimal(20000), "整改", indicators=(students(row, 300),))
    update_entry(june, row.entry_id, edit, rules)
    with june.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.object_type == "monitoring_entry"))
    assert (entry.action, entry.object_id, entry.object_label) == (
        "update",
        row.entry_id,
        f"2025年6月 项目 {CODE}",
    )
    assert '"spent": "0"' in entry.before_json
    assert '"spent": "20000.00"' in entry.after_json
    assert '"current_value": "300"' in entry.after_json


def test_closing_is_blocked_by_a_missing_reason_then_succeeds(june, rules):
    on_pace(june, rules)
    row = row_of(june, rules)
    red = EntryEdit(Decimal(100000), Decimal(50000), indicators=(students(row, 300),))
    update_entry(june, row.entry_id, red, rules)

    with pytest.raises(ValidationFailed) as caught:
        close_round(june, 2025, 6, rules)

    assert caught.value.message.startswith("2025年6月监控有 2 处偏差原因未填写")
    assert [str(p) for p in caught.value.problems] == [
        f"“偏差原因类别”列：项目 {CODE}（县教育局项目1）：指标“补助学生人数”为红灯，"
        "须选择偏差原因类别",
        f"“偏差原因”列：项目 {CODE}（县教育局项目1）：指标“补助学生人数”为红灯，须填写偏差原因说明",
    ]
    assert list_rounds(june, 2025)[0].status == "open"

    reason = {"deviation_category": DeviationCategory.STAFF, "deviation_reason": "人员未到岗"}
    fixed = EntryEdit(Decimal(100000), Decimal(50000), indicators=(students(row, 300, **reason),))
    assert update_entry(june, row.entry_id, fixed, rules).row.missing_reasons == ()
    summary = close_round(june, 2025, 6, rules)

    assert (summary.status, summary.project_count) == ("closed", 4)
    assert summary.closed_at is not None
    assert list_rounds(june, 2025)[0].status == "closed"
    with june.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["open", "update", "update", "update", "update", "update", "close"]


def test_a_closed_round_is_read_only(june, rules):
    on_pace(june, rules, but="")
    close_round(june, 2025, 6, rules)
    row = row_of(june, rules)
    with pytest.raises(UserError, match=f"2025年6月监控轮次已关闭，不能修改项目 {CODE}"):
        update_entry(june, row.entry_id, EntryEdit(Decimal(1), Decimal(1)), rules)
    with pytest.raises(UserError, match="已关闭"):
        close_round(june, 2025, 6, rules)
    assert row_of(june, rules) == row
