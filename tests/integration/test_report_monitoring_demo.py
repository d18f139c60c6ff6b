"""Monitoring reports and lamps on the demo county (small scale): realistic data, end to end."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.domain.enums import Lamp
from app.services.demo import build_demo
from app.services.monitoring import list_rounds, round_rows
from app.services.monitoring.department import department_round_rows
from app.services.monitoring.report import monitoring_report_data, write_monitoring_report
from app.storage.database import open_database
from app.storage.models import Department


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    build_demo(db, year=2025, seed=7, scale=0.05)
    yield db
    db.close()


def test_report_of_the_demo_renders_and_adds_up(demo, rules, tmp_path):
    data = monitoring_report_data(demo, 2025, 6, rules)
    assert data.total.lamps.total == data.total.projects == sum(s.projects for s in data.sections)
    assert sum(d.projects for d in data.departments) == data.total.projects
    path = write_monitoring_report(demo, 2025, 6, rules, tmp_path / "监控报告.pdf")
    assert "监控情况报告" in PdfReader(path).pages[0].extract_text().replace("\n", "")
    # The department-wide part: every unit, in its own table.
    text = "".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", "")
    assert "五、部门整体支出监控情况" in text and "偏差原因及纠偏措施" in text
    assert len(data.department_wide) == len(data.departments)
    assert all(d.department_name in text for d in data.department_wide)


def test_closed_demo_rounds_explain_every_red_and_yellow(demo, rules):
    rounds = list_rounds(demo, 2025)
    assert [(r.month, r.status) for r in rounds] == [(m, "closed") for m in (3, 6, 9, 10, 11, 12)]
    rows = [row for r in rounds for row in round_rows(demo, 2025, r.month, rules)]
    assert [p.message for row in rows for p in row.missing_reasons] == []
    # Budget lamps too, and not vacuously: every round has red or yellow budget lamps.
    for r in rounds:
        lagging = [
            row
            for row in rows
            if row.month == r.month and row.budget_lamp in (Lamp.RED, Lamp.YELLOW)
        ]
        assert lagging, r.month
        assert all(row.budget_deviation_category and row.budget_deviation_reason for row in lagging)
        assert all(row.reasons[0].startswith("预算执行：") for row in lagging)
    green = [row for row in rows if row.budget_lamp is Lamp.GREEN]
    assert not any(row.budget_deviation_reason for row in green)  # only where a lamp asks


def test_every_unit_is_monitored_as_a_whole_in_every_round(demo, rules):
    with demo.session() as s:
        units = s.scalar(select(func.count(Department.id)))
    for r in list_rounds(demo, 2025):
        rows = department_round_rows(demo, 2025, r.month, rules)
        assert len(rows) == units == r.department_count
        assert [p.message for row in rows for p in row.missing_reasons] == []
        assert all(row.spent <= row.adjusted_budget and row.indicators for row in rows)
    # Spending grows, round by round, and the project part is what the projects report.
    october = {row.department_code: row for row in department_round_rows(demo, 2025, 10, rules)}
    december = department_round_rows(demo, 2025, 12, rules)
    assert all(row.spent >= october[row.department_code].spent for row in december)
    projects = round_rows(demo, 2025, 10, rules)
    for code, row in october.items():
        own = [p for p in projects if p.department_code == code]
        assert row.project_spent == sum(p.spent for p in own)
    # Not all alike over the year (deterministic demo: a lagging unit in March).
    lamps = {
        row.department_lamp
        for r in list_rounds(demo, 2025)
        for row in department_round_rows(demo, 2025, r.month, rules)
    }
    assert Lamp.GREEN in lamps and len(lamps) > 1


def test_the_demo_report_lists_the_budget_reasons_of_lagging_projects(demo, rules):
    data = monitoring_report_data(demo, 2025, 6, rules)
    assert data.lagging and all(p.reasons and p.actions for p in data.lagging)
    assert (data.missing_reasons, data.missing_budget_reasons) == (0, 0)
