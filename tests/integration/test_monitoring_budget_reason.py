"""The budget lamp's 偏差原因: required to close, entered by form or workbook, carried forward,
reported."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.enums import Lamp
from app.domain.errors import ValidationFailed
from app.services.monitoring import (
    EntryEdit,
    IndicatorEdit,
    ReasonNeeded,
    close_round,
    list_rounds,
    open_round,
    round_rows,
    update_entry,
)
from app.services.monitoring.report import build_monitoring_table
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.storage.models import AuditEntry
from tests import factories

CODE = "219001001"  # 县教育局项目1, budget 100,000 元
NAME = "县教育局项目1"
REASON = {
    "budget_deviation_category": "制度保障",
    "budget_deviation_reason": "招标程序耗时较长",
    "budget_corrective_action": "倒排工期加快实施",
}


@pytest.fixture
def june(db, rules):
    """June open; every project spends half its budget (green) except CODE, which spent
    20 % (40 % of 序时进度: red). No indicator figures: only the budget lamp is lit red."""
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 6, rules)
    for row in round_rows(db, 2025, 6, rules):
        spent = row.adjusted_budget / (5 if row.project_code == CODE else 2)
        update_entry(db, row.entry_id, EntryEdit(row.adjusted_budget, spent), rules)
    return db


def row_of(db, rules, month=6):
    return next(r for r in round_rows(db, 2025, month, rules) if r.project_code == CODE)


def with_reason(row, **changes) -> EntryEdit:
    values = {**REASON, **changes}
    return EntryEdit(row.adjusted_budget, row.spent, **values)


def test_a_red_budget_lamp_without_a_reason_blocks_closing(june, rules):
    row = row_of(june, rules)
    assert row.budget_lamp is Lamp.RED and row.indicators[0].lamp is None

    with pytest.raises(ValidationFailed) as caught:
        close_round(june, 2025, 6, rules)

    assert caught.value.message.startswith("2025年6月监控有 2 处偏差原因未填写")
    assert [str(p) for p in caught.value.problems] == [
        f"“预算偏差原因类别”列：项目 {CODE}（{NAME}）：预算执行为红灯，须选择偏差原因类别",
        f"“预算偏差原因”列：项目 {CODE}（{NAME}）：预算执行为红灯，须填写偏差原因说明",
    ]
    # Located as data: the project, and no indicator (it is the budget lamp's).
    assert all(isinstance(p, ReasonNeeded) for p in caught.value.problems)
    assert {(p.project_code, p.indicator, p.for_budget) for p in caught.value.problems} == {
        (CODE, None, True)
    }
    assert list_rounds(june, 2025)[0].status == "open"
    assert row.missing_reasons == tuple(caught.value.problems)


def test_the_reason_entered_through_update_entry_lets_the_round_close(june, rules):
    row = row_of(june, rules)
    result = update_entry(june, row.entry_id, with_reason(row), rules)
    saved = result.row
    assert (saved.budget_deviation_category, saved.budget_deviation_reason) == (
        "制度保障",
        "招标程序耗时较长",
    )
    assert saved.budget_corrective_action == "倒排工期加快实施"
    assert saved.missing_reasons == () and result.problems == ()
    assert saved.reasons == ("预算执行：制度保障——招标程序耗时较长；纠偏措施：倒排工期加快实施",)
    assert close_round(june, 2025, 6, rules).status == "closed"


def test_a_category_alone_or_a_reason_alone_is_not_enough(june, rules):
    row = row_of(june, rules)
    only_category = with_reason(row, budget_deviation_reason="  ")
    missing = update_entry(june, row.entry_id, only_category, rules).row.missing_reasons
    assert [p.column for p in missing] == ["预算偏差原因"]
    only_reason = with_reason(row, budget_deviation_category="")
    missing = update_entry(june, row.entry_id, only_reason, rules).row.missing_reasons
    assert [p.column for p in missing] == ["预算偏差原因类别"]


def test_an_unknown_category_is_refused_and_nothing_saved(june, rules):
    row = row_of(june, rules)
    with pytest.raises(ValidationFailed) as caught:
        update_entry(june, row.entry_id, with_reason(row, budget_deviation_category="天气"), rules)
    (problem,) = caught.value.problems
    assert problem.column == "预算偏差原因类别"
    assert f"项目 {CODE}：预算偏差原因类别“天气”不是可选项" in problem.message
    assert row_of(june, rules).budget_deviation_reason == ""


def test_the_budget_reason_is_audited(june, rules):
    row = row_of(june, rules)
    update_entry(june, row.entry_id, with_reason(row), rules)
    with june.session() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "monitoring_entry")
            .order_by(AuditEntry.id.desc())
        ).first()
    before, after = json.loads(entry.before_json), json.loads(entry.after_json)
    assert before["budget_deviation_reason"] == ""
    assert after["budget_deviation_category"] == "制度保障"
    assert after["budget_deviation_reason"] == "招标程序耗时较长"
    assert after["budget_corrective_action"] == "倒排工期加快实施"


def test_indicator_reasons_keep_their_indicator_position(june, rules):
    row = row_of(june, rules)
    students = row.indicators[0].indicator_id  # 补助学生人数 ≥1200人: 600 due by June
    edit = EntryEdit(
        row.adjusted_budget,
        row.spent,
        indicators=(IndicatorEdit(students, current_value=Decimal(300)),),
        **REASON,
    )
    missing = update_entry(june, row.entry_id, edit, rules).row.missing_reasons
    assert [(p.project_code, p.indicator, p.column) for p in missing] == [
        (CODE, 1, "偏差原因类别"),
        (CODE, 1, "偏差原因"),
    ]
    assert not any(p.for_budget for p in missing)


def test_the_budget_reason_is_carried_into_the_next_round(june, rules):
    row = row_of(june, rules)
    update_entry(june, row.entry_id, with_reason(row), rules)
    close_round(june, 2025, 6, rules)
    open_round(june, 2025, 9, rules)
    september = row_of(june, rules, month=9)
    assert (
        september.budget_deviation_category,
        september.budget_deviation_reason,
        september.budget_corrective_action,
    ) == ("制度保障", "招标程序耗时较长", "倒排工期加快实施")
    # Projects without a reason start without one.
    others = [r for r in round_rows(june, 2025, 9, rules) if r.project_code != CODE]
    assert {r.budget_deviation_reason for r in others} == {""}


# -- the workbook -------------------------------------------------------------------------
def project_sheet(path: Path):
    book = openpyxl.load_workbook(path)
    ws = book["项目"]
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, columns["项目编码"]).value == CODE)
    return book, ws, columns, row


@pytest.fixture
def exported(june, rules, tmp_path) -> Path:
    path = tmp_path / "监控表.xlsx"
    export_monitoring_workbook(june, 2025, 6, path, rules)
    return path


def fill(path: Path, category: str, reason: str, action: str = "") -> None:
    book, ws, columns, row = project_sheet(path)
    ws.cell(row, columns["预算偏差原因类别"]).value = category
    ws.cell(row, columns["预算偏差原因"]).value = reason
    ws.cell(row, columns["预算纠偏措施"]).value = action or None
    book.save(path)


def test_the_project_sheet_offers_the_budget_reason_columns(june, rules, exported):
    _, ws, columns, row = project_sheet(exported)
    headers = list(columns)
    at = headers.index("预算执行预警（导出时）")
    assert headers[at + 1 : at + 4] == ["预算偏差原因类别", "预算偏差原因", "预算纠偏措施"]
    assert ws.cell(row, columns["预算执行预警（导出时）"]).value == "红灯"
    letter = openpyxl.utils.get_column_letter(columns["预算偏差原因类别"])
    lists = [v for v in ws.data_validations.dataValidation if letter in str(v.sqref)]
    assert lists and "经费保障" in lists[0].formula1
    for header in ("预算偏差原因类别", "预算偏差原因", "预算纠偏措施"):
        assert not ws.cell(row, columns[header]).protection.locked


def test_a_missing_budget_reason_is_a_located_import_warning(june, rules, exported):
    fill(exported, "", "", "")
    book, ws, columns, row = project_sheet(exported)
    ws.cell(row, columns["执行数（万元）"]).value = 1  # 10 %: still red, and a change
    book.save(exported)
    summary = import_monitoring_workbook(june, exported, rules)
    (warning,) = [p for p in summary.warnings if "预算执行" in p.message]
    assert (warning.sheet, warning.row, warning.column) == ("项目", row, "预算偏差原因")
    assert f"项目 {CODE} 预算执行为红灯" in warning.message and not warning.blocking


def test_the_reason_imported_from_the_workbook_lets_the_round_close(june, rules, exported):
    fill(exported, "制度保障", "招标程序耗时较长", "倒排工期加快实施")
    summary = import_monitoring_workbook(june, exported, rules)
    assert summary.changed_projects == 1 and summary.changed_indicators == 0
    assert not [p for p in summary.warnings if "预算执行" in p.message]
    row = row_of(june, rules)
    assert (row.budget_deviation_category, row.budget_deviation_reason) == (
        "制度保障",
        "招标程序耗时较长",
    )
    assert row.budget_corrective_action == "倒排工期加快实施"
    # The same file again changes nothing; the export shows what was stored.
    assert import_monitoring_workbook(june, exported, rules).changed_projects == 0
    export_monitoring_workbook(june, 2025, 6, exported, rules)
    _, ws, columns, at = project_sheet(exported)
    assert ws.cell(at, columns["预算偏差原因"]).value == "招标程序耗时较长"
    assert close_round(june, 2025, 6, rules).status == "closed"


def test_an_unknown_category_in_the_workbook_is_located_and_blocks(june, rules, exported):
    fill(exported, "天气原因", "连续降雨")
    with pytest.raises(ValidationFailed) as caught:
        import_monitoring_workbook(june, exported, rules)
    _, _, _, row = project_sheet(exported)
    located = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("项目", row, "预算偏差原因类别") in located
    assert row_of(june, rules).budget_deviation_reason == ""


# -- reports ------------------------------------------------------------------------------
def test_the_monitoring_table_shows_the_budget_reason(june, rules):
    def rows_of(document) -> dict[str, str]:
        cells = document.blocks[0].body_rows
        return {r[0].text: r[1].text for r in cells if len(r) == 2}

    assert rows_of(build_monitoring_table(june, 2025, 6, CODE, rules))["执行偏差原因"] == "未填写"
    row = row_of(june, rules)
    update_entry(june, row.entry_id, with_reason(row), rules)
    shown = rows_of(build_monitoring_table(june, 2025, 6, CODE, rules))
    assert shown["执行偏差原因"] == "制度保障：招标程序耗时较长"
    assert shown["纠偏措施"] == "倒排工期加快实施"
    green = rows_of(build_monitoring_table(june, 2025, 6, "219002001", rules))
    assert (green["执行偏差原因"], green["纠偏措施"]) == ("—", "—")
