"""事前评估汇总表: only assessed projects are listed; the rest is one sentence of counts, and
the signature shares its page with that closing sentence."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from pypdf import PdfReader

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.pre_assessment import Exemption
from app.reports import Paragraph, Table
from app.services.assessment.records import AssessmentInput, record_assessment, set_exemption
from app.services.assessment.report import (
    export_preassessment_summary,
    preassessment_document,
    preassessment_report_data,
)
from tests.factories import ProjectSpec, department, project_with_goal, year


def _county(db, n: int) -> list[int]:
    with db.transaction() as s:
        fy = year(s, 2025)
        dept = department(s, "219001", "县教育局")
        ids = []
        for i in range(1, n + 1):
            spec = ProjectSpec(code=f"P{i:03d}", amount_yuan=Decimal("5000000"))
            spec.kind = ProjectKind.NEW
            ids.append(project_with_goal(s, fy, dept, spec).id)
    return ids


def _assess(requested: str, approved: str) -> AssessmentInput:
    ratings = ("优", "良", "良", "中", "优")
    return AssessmentInput(
        *ratings,
        AssessmentConclusion.PARTIAL,
        Decimal(requested),
        Decimal(approved),
        dt.date(2025, 3, 1),
    )


def test_only_assessed_rows_and_one_count_sentence(db, rules):
    ids = _county(db, 5)
    record_assessment(db, ids[0], _assess("5000000", "4000000"))
    record_assessment(db, ids[1], _assess("5000000", "4000000"))
    set_exemption(db, ids[2], True, "防汛应急", Exemption.EMERGENCY)
    document = preassessment_document(preassessment_report_data(db, 2025, rules))
    table = document.blocks[1]
    assert isinstance(table, Table)
    texts = [[c if isinstance(c, str) else c.text for c in row] for row in table.body_rows]
    assert [row[6:] for row in texts[:-1]] == [["20.00%", "部分支持"]] * 2
    assert texts[-1][:5] == ["合计", "1,000.00", "800.00", "200.00", "20.00%"]
    assert not any("未评估" in cell or "免评" in cell for row in texts for cell in row)
    closing = document.blocks[-1]
    assert isinstance(closing, Paragraph)
    assert closing.plain_text == (
        "2025年度共有5个项目达到事前绩效评估条件，其中已完成评估2个（见上表），"
        "免于评估1个，尚未完成评估2个，后两类未列入上表。"
    )


def test_last_pdf_page_holds_more_than_the_signature(db, rules, tmp_path):
    ids = _county(db, 40)
    for project_id in ids[:38]:
        record_assessment(db, project_id, _assess("5000000", "4500000"))
    path = export_preassessment_summary(db, 2025, rules, tmp_path / "汇总.pdf")
    pages = PdfReader(path).pages
    assert len(pages) >= 2
    last = re.sub(r"\\s", "", pages[-1].extract_text())
    assert "尚未完成评估2个" in last
    assert "县财政局" in last
