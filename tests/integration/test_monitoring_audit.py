"""Monitoring audit entries hold only what changed; an import writes one summary entry."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.services.common import audit
from app.services.common.audit_log import changes_summary, list_audit
from app.services.monitoring import EntryEdit, IndicatorEdit, open_round, round_rows, update_entry
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.storage.models import AuditEntry
from tests import factories

CODE = "219001001"  # budget 100,000 元; 补助学生人数 ≥1200人 first


@pytest.fixture
def june(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    return db


def row_of(db, rules, code=CODE):
    return next(r for r in round_rows(db, 2025, 6, rules) if r.project_code == code)


def entries_after(db, last: int) -> list[AuditEntry]:
    with db.session() as s:
        stmt = select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)
        return list(s.scalars(stmt))


def last_id(db) -> int:
    with db.session() as s:
        return max(s.scalars(select(AuditEntry.id)), default=0)


def test_update_entry_records_only_the_changed_fields(june, rules):
    row = row_of(june, rules)
    students = row.indicators[0].indicator_id
    rate = row.indicators[2].indicator_id
    unchanged_rate = IndicatorEdit(rate)  # listed in the edit, but blank as stored
    edit = EntryEdit(
        row.adjusted_budget,
        Decimal(20000),
        indicators=(IndicatorEdit(students, current_value=Decimal(300)), unchanged_rate),
    )
    last = last_id(june)
    update_entry(june, row.entry_id, edit, rules)
    (entry,) = entries_after(june, last)
    assert (entry.object_type, entry.action) == (audit.MONITORING_ENTRY, "update")
    assert json.loads(entry.before_json) == {
        "spent": "0",
        "indicators": {"补助学生人数": {"current_value": None}},
    }
    assert json.loads(entry.after_json) == {
        "spent": "20000.00",
        "indicators": {"补助学生人数": {"current_value": "300"}},
    }


def test_saving_the_same_figures_again_writes_no_entry(june, rules):
    row = row_of(june, rules)
    edit = EntryEdit(row.adjusted_budget, Decimal(20000))
    update_entry(june, row.entry_id, edit, rules)
    last = last_id(june)
    update_entry(june, row.entry_id, edit, rules)
    assert entries_after(june, last) == []


def test_the_audit_view_shows_the_change_in_chinese(june, rules):
    row = row_of(june, rules)
    students = row.indicators[0].indicator_id
    edit = EntryEdit(
        row.adjusted_budget,
        Decimal(20000),
        indicators=(IndicatorEdit(students, current_value=Decimal(300), likelihood="有可能"),),
    )
    update_entry(june, row.entry_id, edit, rules)
    (record,) = list_audit(june, object_type=audit.MONITORING_ENTRY)
    assert record.object_type_label == "监控填报"
    assert changes_summary(record.before, record.after) == (
        "执行数：0 → 20000.00；"
        "指标：补助学生人数（当前完成值：（空），完成可能性：（空）） → "
        "补助学生人数（当前完成值：300，完成可能性：有可能）"
    )


def _fill_three(path: Path) -> None:
    """Three of the four projects change: two only 执行数, one also an indicator's value."""
    book = openpyxl.load_workbook(path)
    projects, indicators = book["项目"], book["指标"]
    header = {c.value: c.column for c in projects[1]}
    for row in range(2, projects.max_row + 1):
        if projects.cell(row, header["项目编码"]).value != "301002001":
            projects.cell(row, header["执行数（万元）"]).value = 2
    header = {c.value: c.column for c in indicators[1]}
    for row in range(2, indicators.max_row + 1):
        code = indicators.cell(row, header["项目编码"]).value
        if code == CODE and indicators.cell(row, header["序号"]).value == 1:
            indicators.cell(row, header["当前完成值"]).value = "450人"
    book.save(path)


def test_an_import_changing_three_projects_writes_one_summary_and_three_entries(
    june, rules, tmp_path
):
    path = tmp_path / "监控表.xlsx"
    export_monitoring_workbook(june, 2025, 6, path, rules)
    _fill_three(path)
    last = last_id(june)
    result = import_monitoring_workbook(june, path, rules)
    entries = entries_after(june, last)

    summaries = [e for e in entries if e.object_type == audit.MONITORING_ROUND]
    per_entry = [e for e in entries if e.object_type == audit.MONITORING_ENTRY]
    assert len(entries) == 4 and len(summaries) == 1 and len(per_entry) == 3
    (summary,) = summaries
    assert summary.action == "import" and summary.before_json == ""
    after = json.loads(summary.after_json)
    assert after["读取项目数"] == 4
    assert (after["修改项目数"], after["修改指标数"]) == (3, 1)
    assert sorted(after["修改"]) == ["219001001", "219002001", "301001001"]
    assert after["备份"] == str(result.backup)

    by_label = {e.object_label: e for e in per_entry}
    assert {e.action for e in per_entry} == {"导入修改监控数据"}
    changed = by_label[f"2025年6月 项目 {CODE}"]
    assert json.loads(changed.before_json) == {
        "spent": "0",
        "indicators": {"补助学生人数": {"current_value": None}},
    }
    assert json.loads(changed.after_json) == {
        "spent": "20000.00",
        "indicators": {"补助学生人数": {"current_value": "450"}},
    }
    other = by_label["2025年6月 项目 219002001"]
    assert json.loads(other.before_json) == {"spent": "0"}
    assert json.loads(other.after_json) == {"spent": "20000.00"}


def test_reimporting_writes_no_entry_at_all(june, rules, tmp_path):
    path = tmp_path / "监控表.xlsx"
    export_monitoring_workbook(june, 2025, 6, path, rules)
    _fill_three(path)
    import_monitoring_workbook(june, path, rules)
    last = last_id(june)
    import_monitoring_workbook(june, path, rules)
    assert entries_after(june, last) == []
