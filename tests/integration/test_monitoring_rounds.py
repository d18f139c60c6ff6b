"""Opening and listing monitoring rounds: who is listed, which months, carry-forward."""

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import DeviationCategory, Likelihood
from app.domain.errors import UserError
from app.services.monitoring import (
    EntryEdit,
    IndicatorEdit,
    list_rounds,
    open_round,
    round_rows,
    update_entry,
)
from app.storage.models import AuditEntry
from tests import factories

APPROVED = ["219001001", "219002001", "301001001", "301002001"]


def by_code(db, year, month, rules):
    return {row.project_code: row for row in round_rows(db, year, month, rules)}


def test_open_round_lists_every_approved_live_project_of_the_year_only(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    summary = open_round(db, 2025, 3, rules)
    assert (summary.month, summary.status, summary.project_count) == (3, "open", 4)
    assert summary.carried_from_month is None
    rows = round_rows(db, 2025, 3, rules)
    assert [row.project_code for row in rows] == APPROVED
    first = rows[0]
    assert len(first.indicators) == 6
    assert first.indicators[0].name == "补助学生人数"
    assert first.indicators[0].target == "≥1200人"
    # The first round starts from the project's amount and nothing spent.
    assert (first.initial_budget, first.adjusted_budget, first.spent) == (
        Decimal(100000),
        Decimal(100000),
        Decimal(0),
    )
    assert first.time_progress == Decimal("0.25")
    assert [(r.month, r.status, r.project_count) for r in list_rounds(db, 2025)] == [(3, "open", 4)]


def test_opening_writes_an_audit_entry(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    summary = open_round(db, 2025, 6, rules)
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.object_type == "monitoring_round"))
    assert (entry.action, entry.object_id, entry.object_label) == (
        "open",
        summary.id,
        "2025年6月绩效监控",
    )
    assert '"projects": 4' in entry.after_json


def test_a_month_outside_the_rule_set_is_refused_and_nothing_is_created(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    with pytest.raises(UserError, match=r"未设置 7 月监控.*3、6、9、10、11、12"):
        open_round(db, 2025, 7, rules)
    assert list_rounds(db, 2025) == []
    # The default rules monitor monthly in Q4; a rule set may allow any month.
    assert open_round(db, 2025, 10, rules).project_count == 4
    with_july = replace(rules, monitoring=replace(rules.monitoring, months=(3, 6, 7, 9, 12)))
    assert open_round(db, 2025, 7, with_july).project_count == 4


def test_reopening_a_round_or_an_unknown_year_is_refused(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 3, rules)
    with pytest.raises(UserError, match="2025年3月监控轮次已存在"):
        open_round(db, 2025, 3, rules)
    with pytest.raises(UserError, match="没有 2030 年度"):
        open_round(db, 2030, 3, rules)
    with pytest.raises(UserError, match="2025年6月的监控轮次尚未开启"):
        round_rows(db, 2025, 6, rules)


def test_a_new_round_carries_forward_the_previous_rounds_figures(db, rules):
    with db.transaction() as s:
        projects = factories.monitoring_county(s)
        fy, dept = factories.year(s, 2025), projects[0].department
    open_round(db, 2025, 3, rules)
    row = by_code(db, 2025, 3, rules)["219001001"]
    ids = {i.name: i.indicator_id for i in row.indicators}
    edit = EntryEdit(
        adjusted_budget=Decimal("90000"),
        spent=Decimal("12345.67"),
        conclusion="整改",
        note="加快进度",
        indicators=(
            IndicatorEdit(
                ids["补助学生人数"],
                current_value=Decimal(100),
                likelihood=Likelihood.POSSIBLE,
                expected_value=Decimal(1100),
                deviation_category=DeviationCategory.FUNDING,
                deviation_reason="资金未到位",
                corrective_action="督促拨付",
            ),
        ),
    )
    update_entry(db, row.entry_id, edit, rules)
    with db.transaction() as s:  # approved after the March round
        factories.project_with_goal(s, fy, dept, factories.ProjectSpec(code="219001010"))

    summary = open_round(db, 2025, 6, rules)

    assert (summary.carried_from_month, summary.project_count) == (3, 5)
    rows = by_code(db, 2025, 6, rules)
    carried = rows["219001001"]
    assert carried.entry_id != row.entry_id
    assert (carried.initial_budget, carried.adjusted_budget, carried.spent) == (
        Decimal(100000),
        Decimal(90000),
        Decimal("12345.67"),
    )
    assert (carried.conclusion, carried.conclusion_note) == ("", "")  # decided per round
    students = carried.indicators[0]
    assert (students.current_value, students.likelihood, students.expected_value) == (
        Decimal(100),
        "有可能",
        Decimal(1100),
    )
    assert (students.deviation_category, students.deviation_reason) == ("经费保障", "资金未到位")
    assert students.corrective_action == "督促拨付"
    assert carried.indicators[1].current_value is None
    fresh = rows["219001010"]
    assert (fresh.adjusted_budget, fresh.spent) == (Decimal(1200000), Decimal(0))
    # The March round itself is untouched.
    assert by_code(db, 2025, 3, rules)["219001001"].conclusion == "整改"
