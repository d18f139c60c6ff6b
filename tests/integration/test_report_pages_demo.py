"""Pages that read well, on the demo county: the annual report leaves no page more than 15%
blank but the last, and a 15-indicator monitoring table is one page."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from app.domain.enums import Lamp
from app.reports import layout
from app.reports.render import render_to_file
from app.services.demo import build_demo
from app.services.monitoring import round_rows
from app.services.monitoring.report.data import monitoring_table_data
from app.services.monitoring.report.table import compose_monitoring_table
from app.services.reports import ReportKind, ReportRequest, build_report
from app.storage.database import open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    build_demo(db, year=2025, seed=7, scale=0.05)
    yield db
    db.close()


def blank_shares(path) -> list[float]:
    """Per page, the share of the type area below its last inked row (page number aside)."""
    shares = []
    for page in pdfium.PdfDocument(str(path)):
        width, height = page.get_size()
        geometry = layout.PORTRAIT if height > width else layout.LANDSCAPE
        grey = np.asarray(page.render(scale=50 / 72).to_pil().convert("L"))
        px_per_mm = grey.shape[0] / geometry.height_mm
        top = round(geometry.top_mm * px_per_mm)
        bottom = round((geometry.height_mm - geometry.bottom_mm) * px_per_mm)
        inked = np.flatnonzero((grey[top:bottom] < 200).any(axis=1))  # the 草稿 mark is lighter
        last = inked[-1] + 1 if len(inked) else 0
        shares.append(1 - last / (bottom - top))
    return shares


def test_the_annual_report_wastes_no_page(demo, rules, tmp_path):
    document = build_report(demo, ReportRequest(ReportKind.ANNUAL, 2025), rules)
    shares = blank_shares(render_to_file(document, tmp_path / "annual.pdf"))
    assert len(shares) >= 3
    # Every page but the last: charts let the text and tables after them fill a page, and
    # the signature's page takes only the body's last lines (or closes their spacing up).
    assert max(shares[:-1]) <= 0.15, [round(s, 2) for s in shares]


def test_a_fifteen_indicator_monitoring_table_is_one_page(demo, rules, tmp_path):
    rows = round_rows(demo, 2025, 6, rules)
    widest = max(rows, key=lambda r: len(r.indicators))
    data = monitoring_table_data(demo, 2025, 6, widest.project_code, rules)
    own = data.row.indicators
    lagging = replace(
        own[-1],
        lamp=Lamp.RED,
        deviation_category="政策调整",
        deviation_reason="受上级政策调整影响，项目实施进度滞后",
        corrective_action="加快推进项目实施，按月调度",
    )
    fifteen = (*(own * 15)[:14], lagging)  # the project's own wording, one red row explained
    data = replace(data, row=replace(data.row, indicators=fifteen))
    path = render_to_file(compose_monitoring_table(data), tmp_path / "监控表.pdf")
    assert len(PdfReader(path).pages) == 1
