"""The ex-ante summary table: its data exactly, then a smoke render to Word and PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.domain.enums import AssessmentConclusion, ProjectKind
from app.domain.pre_assessment import Exemption
from app.reports import Table
from app.services.assessment.records import AssessmentInput, record_assessment, set_exemption
from app.services.assessment.report import (
    export_preassessment_summary,
    preassessment_document,
    preassessment_report_data,
)
from tests.factories import ProjectSpec, department, project_with_goal, year


def _county(db) -> list[int]:
    with db.transaction() as s:
        fy = year(s, 2025)
        dept = department(s, "219001", "县教育局")
        ids = []
        for n, amount in enumerate(("240532200", "5000000", "4500000", "100000"), start=1):
            spec = ProjectSpec(code=f"P{n}", amount_yuan=Decimal(amount))
            spec.kind = ProjectKind.NEW
            ids.append(project_with_goal(s, fy, dept, spec).id)
    return ids


def _assess(conclusion, requested, approved=None) -> AssessmentInput:
    kept = None if approved is None else Decimal(approved)
    ratings = ("优", "良", "良", "中", "优")
    return AssessmentInput(*ratings, conclusion, Decimal(requested), kept, dt.date(2025, 3, 1))


def test_rows_and_totals(db, rules):
    ids = _county(db)
    record_assessment(db, ids[0], _assess(AssessmentConclusion.PARTIAL, "240532200", "148928900"))
    set_exemption(db, ids[2], True, "防汛应急", Exemption.EMERGENCY)
    data = preassessment_report_data(db, 2025, rules)
    assert [(r.project_code, r.conclusion) for r in data.rows] == [
        ("P1", "部分支持"), ("P3", "免评"), ("P2", "未评估"),
    ]  # fmt: skip
    assert (data.required, data.exempt, data.pending) == (2, 1, 1)
    assert data.rows[0].cut == Decimal("91603300")
    assert data.summary.cut_rate.quantize(Decimal("0.0001")) == Decimal("0.3808")
    document = preassessment_document(data, dt.date(2025, 7, 1))
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert table.body_rows[0][3:7] == ("24,053.22", "14,892.89", "9,160.33", "38.08%")
    assert [c.text for c in table.body_rows[-1][1:4]] == ["24,053.22", "14,892.89", "9,160.33"]
    assert "审减率38.08%" in document.blocks[0].plain_text


def test_renders_to_word_and_pdf(db, rules, tmp_path):
    ids = _county(db)
    record_assessment(db, ids[1], _assess(AssessmentConclusion.SUPPORT, "5000000"))
    for name in ("汇总.docx", "汇总.pdf"):
        path = export_preassessment_summary(db, 2025, rules, tmp_path / name)
        assert path.stat().st_size > 1000
