"""The 部门整体 part of the round report, on a small county (figures exactly)."""

from decimal import Decimal

from sqlalchemy import select

from app.reports.model import Landscape, Paragraph, Table
from app.services.monitoring import open_round
from app.services.monitoring.department import department_round_rows
from app.services.monitoring.department_entries import DepartmentEdit, update_department_entry
from app.services.monitoring.report import monitoring_report_data
from app.services.monitoring.report.department_part import department_blocks
from app.storage.models import Department
from tests import factories

D = Decimal


def test_the_report_lists_each_department_with_both_parts_and_its_reason(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
        dept = s.scalar(select(Department).where(Department.code == "219001"))
        factories.department_goal(s, factories.year(s, 2025), dept, D(5_000_000))
    open_round(db, 2025, 10, rules)
    row = department_round_rows(db, 2025, 10, rules)[0]
    edit = DepartmentEdit(
        D(2_000_000),
        D(1_800_000),
        D(3_000_000),
        D(900_000),
        budget_deviation_category="经费保障",
        budget_deviation_reason="上级资金下达较晚",
    )
    update_department_entry(db, row.entry_id, edit, rules)
    data = monitoring_report_data(db, 2025, 10, rules)
    [landscape] = department_blocks(data)
    assert isinstance(landscape, Landscape)
    _heading, paragraph, table = landscape.blocks
    assert isinstance(paragraph, Paragraph) and isinstance(table, Table)
    assert paragraph.text.startswith(
        "本轮对1个预算单位的部门整体支出开展监控，调整后预算合计500.00万元，"
        "执行270.00万元，执行率54.00%；其中基本支出执行率90.00%。"
    )
    assert "黄灯1个" in paragraph.text and "未说明" not in paragraph.text
    assert table.body_rows == (
        (
            "1",
            "县教育局",
            "200.00",
            "180.00",
            "300.00",
            "90.00",
            "54.00%",
            "29.33",
            "黄灯",
            "预算执行：经费保障——上级资金下达较晚",
        ),
    )


def test_without_department_goals_the_report_says_so(db, rules):
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, 2025, 3, rules)
    _heading, paragraph = department_blocks(monitoring_report_data(db, 2025, 3, rules))
    assert paragraph.text == "本轮没有纳入监控的部门整体支出绩效目标。"
