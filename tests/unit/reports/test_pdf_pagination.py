"""PDF pagination: no lone row on a table's last page; figures shrink into a page's rest;
headings keep only a few lines of what follows, not whole blocks."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from app.reports import Column, Document, Paragraph, Table
from app.reports.render import render_to_file


def test_a_table_never_leaves_its_total_row_alone(tmp_path: Path) -> None:
    lead = Paragraph("正文。" * 120)
    checked = 0
    for n in range(4, 16):  # every way the page break can fall near the table's end
        rows = (*((f"行{i}", str(i)) for i in range(n)), ("合计", "总"))
        table = Table((Column(1), Column(1)), (("名称", "值"),), rows)
        pdf = PdfReader(render_to_file(Document("表", (lead, table)), tmp_path / f"{n}.pdf"))
        if len(pdf.pages) < 2:
            continue
        checked += 1
        last = pdf.pages[-1].extract_text().split("\n")
        if "合计" in last:
            assert f"行{n - 1}" in last, n  # the total shares its page with a body row
    assert checked > 5


def test_execution_rate_bars_carry_their_values(monkeypatch) -> None:
    from app.reports import charts

    drawn = []
    monkeypatch.setattr(charts, "png", lambda fig: drawn.append(fig) or b"")
    rates = {"预算执行率": [89.97, 91.2, 90.0]}
    charts.grouped_bar_chart(["甲股", "乙股", "丙股"], rates, percent=True)
    texts = {t.get_text() for t in drawn[0].axes[0].texts}
    assert {"89.97%", "91.20%", "90.00%"} <= texts
