"""Monitoring reports and lamps on the demo county (small scale): realistic data, end to end."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.services.demo import build_demo
from app.services.monitoring import round_rows
from app.services.reports_monitoring import monitoring_report_data, write_monitoring_report
from app.storage.database import open_database


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


def test_closed_demo_rounds_explain_every_red_and_yellow(demo, rules):
    missing = [len(r.missing_reasons) for m in (3, 6, 9) for r in round_rows(demo, 2025, m, rules)]
    assert sum(missing) == 0
