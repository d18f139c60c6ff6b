"""草稿 and 定稿: 【请补充】 text makes a marked draft; a 定稿 export refuses until it is filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from app.domain.errors import UserError
from app.services.reports import ReportKind, ReportRequest, build_report, draft_notes, render
from app.services.reports.templates import Templates, bundled_template_path
from tests.integration.test_report_annual import build_goals

MISSING = [
    "一、基本工作情况（一）组织保障",
    "一、基本工作情况（二）制度建设",
    "一、基本工作情况（八）纳入政府绩效考核",
    "一、基本工作情况（九）绩效信息公开",
]


@pytest.fixture
def goals_year(db):
    build_goals(db)
    return db


def filled_templates(tmp_path: Path) -> Templates:
    text = bundled_template_path().read_text(encoding="utf-8")
    lines = [
        line.split(" = ")[0] + ' = "成立预算绩效管理工作领导小组，印发《示例县预算绩效管理办法》。"'
        if ' = "【请补充' in line
        else line
        for line in text.splitlines()
    ]
    path = tmp_path / "filled.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return Templates.load(path)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_unfilled_sections_make_a_marked_draft(goals_year, rules, tmp_path):
    request = ReportRequest(ReportKind.ANNUAL, 2025)
    document = build_report(goals_year, request, rules)
    assert document.draft and draft_notes(document) == MISSING
    pdf = render(document, tmp_path / "draft.pdf")
    text = pdf_text(pdf)
    assert "草稿，定稿前请补充：" + "；".join(MISSING) in text.replace("\n", "")
    assert all("草" in page.extract_text() for page in PdfReader(str(pdf)).pages)  # watermark
    word = docx.Document(str(render(document, tmp_path / "draft.docx")))
    assert word.sections[0].header.paragraphs[0].text == "草稿"


def test_final_export_refuses_naming_the_missing_sections(goals_year, rules):
    request = ReportRequest(ReportKind.ANNUAL, 2025, final=True)
    with pytest.raises(UserError) as raised:
        build_report(goals_year, request, rules)
    assert all(section in str(raised.value) for section in MISSING)
    assert "不能导出定稿" in str(raised.value)


def test_a_filled_final_export_has_no_placeholder(goals_year, rules, tmp_path):
    request = ReportRequest(
        ReportKind.ANNUAL, 2025, final=True, date=dt.date(2026, 3, 31), doc_number="示财〔2026〕8号"
    )
    document = build_report(goals_year, request, rules, templates=filled_templates(tmp_path))
    assert not document.draft
    text = pdf_text(render(document, tmp_path / "final.pdf"))
    assert "【" not in text and "草稿" not in text
    assert "2026年3月31日" in text and "示财〔2026〕8号" in text
    word = docx.Document(str(render(document, tmp_path / "final.docx")))
    body = "\n".join(p.text for p in word.paragraphs)
    assert "【" not in body and word.paragraphs[0].text == "示财〔2026〕8号"
    assert word.sections[0].header.paragraphs[0].text == ""
