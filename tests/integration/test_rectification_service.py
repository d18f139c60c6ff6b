"""整改台账 through the services and the CLI: generated from every source, idempotent,
replies and closing, overdue by date, Excel and report output."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from app.domain.errors import UserError
from app.domain.key_evaluation import ObjectKind
from app.domain.rectification import Status
from app.domain.review import DeductionReason
from app.main import main
from app.services import key_evaluation as ke
from app.services import rectification as rect
from app.services.monitoring import open_round
from app.services.rectification.workbook import export_ledger
from app.services.reports import ReportKind, ReportRequest, build_report, export_report
from app.services.spotcheck import (
    ReviewEdit,
    ReviewItemEdit,
    draw_sample,
    review_sheet,
    save_review,
)
from tests import factories

YEAR = 2025
TODAY = date(2026, 3, 1)
POOR = {"补助学生人数": "300", "家庭经济困难学生资助覆盖率": "20", "受助学生满意度": "0"}


@pytest.fixture
def county(db, rules):
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=1)
        factories.self_evaluation(s, projects[0], POOR)  # 219001001 差
        factories.self_evaluation(s, projects[2], claimed_total="100")
    open_round(db, YEAR, 6, rules)  # nothing spent by June: red lamps
    drawn = draw_sample(db, YEAR, rules, seed=1, ratio=D(1))
    item = next(i for s in drawn.sections for i in s.items if i.project_code == "301001001")
    sheet = review_sheet(db, item.sample_id, rules)
    cut = ReviewItemEdit(
        sheet.rows[4].evaluation_indicator_id, deduction=DeductionReason.NO_EVIDENCE
    )
    save_review(db, item.sample_id, ReviewEdit(items=(cut,)), rules)  # 100 → 70: 自评不实
    plan = ke.PlanEdit(ObjectKind.DEPARTMENT, "县水利局部门整体", "301002", "资金规模大",
                       problems="预算执行偏慢\n绩效目标不细", suggestions="加快执行")  # fmt: skip
    ke.create_evaluation(db, YEAR, plan, rules)
    return db


def test_generating_lists_every_source_once(county, rules):
    result = rect.generate_items(county, YEAR, rules, TODAY)
    assert result.by_source["评价等级"] == 2  # 219001001 差 (self), 301001001 中 (review)
    assert result.by_source["自评不实"] == 1
    assert result.by_source["重点评价"] == 1
    assert result.by_source["监控红灯"] >= 1
    again = rect.generate_items(county, YEAR, rules, TODAY)
    assert (again.added, again.already) == (0, result.added)
    book = rect.ledger(county, YEAR, TODAY)
    assert len(book.rows) == result.added
    key = next(r for r in book.rows if r.source == "重点评价")
    assert key.finding == "财政重点评价发现的问题：预算执行偏慢；绩效目标不细"
    assert (key.action, key.deadline, key.status) == ("加快执行", date(2026, 4, 30), "未整改")


def test_reply_close_and_overdue(county, rules):
    rect.generate_items(county, YEAR, rules, TODAY)
    first, second, *_ = rect.ledger(county, YEAR, TODAY).rows
    edit = rect.ItemEdit(first.action, first.deadline, Status.OPEN, "已制定整改方案")
    replied = rect.update_item(county, first.id, edit, TODAY)
    assert (replied.status, replied.replied_on) == ("整改中", TODAY)
    with pytest.raises(UserError, match="请填写单位的整改情况反馈"):
        rect.update_item(
            county, second.id, rect.ItemEdit(second.action, second.deadline, Status.DONE), TODAY
        )
    done = rect.ItemEdit(second.action, second.deadline, Status.DONE, "已全部整改")
    assert rect.update_item(county, second.id, done, TODAY).closed_on == TODAY
    late = rect.ledger(county, YEAR, date(2026, 5, 1))  # after the 60-day deadline
    assert late.counts["已整改"] == 1
    assert late.overdue == len(late.rows) - 1
    assert all(r.overdue for r in late.rows if r.id != second.id)


def test_overdue_cannot_be_stored_and_action_is_required(county, rules):
    rect.generate_items(county, YEAR, rules, TODAY)
    row = rect.ledger(county, YEAR, TODAY).rows[0]
    with pytest.raises(UserError, match="逾期由期限自动判断"):
        rect.update_item(
            county, row.id, rect.ItemEdit(row.action, row.deadline, Status.OVERDUE), TODAY
        )
    with pytest.raises(UserError, match="整改要求不能为空"):
        rect.update_item(county, row.id, rect.ItemEdit(" ", row.deadline, Status.OPEN), TODAY)


def test_excel_and_report(county, rules, tmp_path):
    with pytest.raises(UserError, match="整改台账为空"):
        export_ledger(county, YEAR, tmp_path / "空.xlsx", TODAY)
    result = rect.generate_items(county, YEAR, rules, TODAY)
    path = tmp_path / "整改台账.xlsx"
    assert export_ledger(county, YEAR, path, TODAY) == result.added
    sheet = load_workbook(path)["整改台账"]
    assert [c.value for c in sheet[1]][:3] == ["单位编码", "单位名称", "问题来源"]
    assert sheet.max_row == result.added + 1
    document = build_report(
        county, ReportRequest(ReportKind.RECTIFICATION, YEAR), rules, today=TODAY
    )
    assert document.title == "绩效问题整改台账"
    export_report(
        county, ReportRequest(ReportKind.RECTIFICATION, YEAR), tmp_path / "台账.pdf", rules
    )


def test_the_cli_generates_lists_replies_and_exports(county, capsys, tmp_path):
    base = ["--db", str(county.target), "rectification"]
    assert main([*base, "generate", "--year", "2025", "--today", "2026-03-01"]) == 0
    assert "新增整改事项" in capsys.readouterr().out
    assert main([*base, "reply", "--year", "2025", "--id", "1", "--reply", "已整改", "--done"]) == 0
    assert "状态“已整改”" in capsys.readouterr().out
    assert main([*base, "list", "--year", "2025", "--today", "2026-06-01", "--overdue"]) == 0
    out = capsys.readouterr().out
    assert "逾期" in out and "\t已整改" not in out
    assert main([*base, "export", "--year", "2025", "--out", str(tmp_path / "t.xlsx")]) == 0
