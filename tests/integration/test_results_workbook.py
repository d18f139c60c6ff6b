"""结果应用 list: Excel export (read back), Word and PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.errors import UserError
from app.reports import render_to_file
from app.services.results.records import decide_adjustment, propose_results
from app.services.results.report import build_results_list
from app.services.results.workbook import export_results
from tests import factories

D = Decimal
YEAR = 2025


def _proposed(db, rules):
    with db.transaction() as s:
        for n, p in enumerate(factories.small_county(s, YEAR, per_department=1)):
            # The first project misses most targets: grade 中, a 20% cut is proposed.
            misses = {"补助学生人数": D(0), "资金拨付及时率": D(0)} if n == 0 else {}
            factories.self_evaluation(s, p, misses)
    return propose_results(db, YEAR, rules)


def test_excel_export_reads_back_in_wan(db, rules, tmp_path):
    rows = _proposed(db, rules)
    cut = next(r for r in rows if r.proposed_cut > 0)
    decide_adjustment(db, cut.adjustment_id, D(15000), "保障刚性支出，少减")
    result = export_results(db, YEAR, tmp_path / "r.xlsx")
    assert (result.departments, result.projects) == (4, 4)
    ws = load_workbook(tmp_path / "r.xlsx")["结果应用"]
    heads = [c.value for c in ws[1]]
    line = {h: ws.cell(2, i + 1).value for i, h in enumerate(heads)}
    assert line["项目编码"] == cut.project_code and line["等级"] == "中"
    assert line["等级来源"] == "自评" and line["建议"] == "调减"
    assert D(str(line["基数(万元)"])) == cut.base / 10000
    assert D(str(line["建议调减(万元)"])) == cut.proposed_cut / 10000
    assert D(str(line["确定调减(万元)"])) == D("1.5")
    assert line["确定理由"] == "保障刚性支出，少减"
    one = export_results(db, YEAR, tmp_path / "one.xlsx", department="219002")
    assert one.projects == 1
    with pytest.raises(UserError, match="还没有结果应用建议"):
        export_results(db, YEAR, tmp_path / "none.xlsx", department="999999")


def test_results_list_renders_per_department(db, rules, tmp_path):
    rows = _proposed(db, rules)
    doc = build_results_list(db, YEAR)
    headings = [b.text for b in doc.blocks[-1].blocks if hasattr(b, "level")]  # landscape
    assert headings[1:] == [f"{r.department}（{r.department_code}）" for r in rows]
    render_to_file(doc, tmp_path / "r.pdf")
    render_to_file(doc, tmp_path / "r.docx")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "绩效评价结果应用建议清单" in text and "县教育局" in text
