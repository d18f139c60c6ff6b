"""Reports from a small database rendered to PDF and .docx (smoke tests of the output)."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest
from pypdf import PdfReader

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.services.reports import ReportKind, ReportRequest, export_report
from app.storage.models import Setting
from tests import factories

TODAY = dt.date(2026, 3, 5)


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s, per_department=4)
        s.add_all(
            [
                Setting(key="county.name", value="示例县"),
                Setting(key="county.bureau", value="示例县财政局"),
            ]
        )
    return db


def flat(text: str) -> str:
    """Text without line breaks and spaces: titles are broken into balanced lines."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(reader: PdfReader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def assert_embedded(reader: PdfReader) -> None:
    for name, font in pdf_fonts(reader).items():
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_goal_table_pdf_and_docx(county, rules, tmp_path):
    request = ReportRequest(ReportKind.GOAL_TABLE, 2025, project_code="219001002")
    pdf = export_report(county, request, tmp_path / "目标表.pdf", rules)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    assert_embedded(reader)
    text = reader.pages[0].extract_text()
    assert "项目支出绩效目标表" in text and "县教育局项目2" in text and "补助学生人数" in text
    document = docx.Document(str(export_report(county, request, tmp_path / "目标表.docx", rules)))
    assert document.paragraphs[0].text == "项目支出绩效目标表"
    (table,) = document.tables
    assert table.rows[0].cells[1].text == "县教育局项目2"
    # 产出指标 is one cell merged down over its four rows.
    xml = table._tbl.xml
    assert xml.count('w:val="restart"') >= 2 and "w:vMerge" in xml


def test_department_book_has_cover_toc_and_right_page_numbers(county, rules, tmp_path):
    request = ReportRequest(ReportKind.GOAL_BOOK, 2025, department_code="219002")
    pdf = export_report(county, request, tmp_path / "汇编.pdf", rules, today=TODAY)
    reader = PdfReader(pdf)
    pages = [flat(p.extract_text()) for p in reader.pages]
    assert len(pages) == 3 + 4  # cover, contents, title and introduction, one page per table
    assert "县卫生健康局2025年度项目支出绩效目标汇编" in pages[0] and "2026年3月5日" in pages[0]
    assert "—1—" not in pages[0]
    assert_embedded(reader)
    # Each contents line: the page number (a form drawn before the text), then the entry.
    contents = reader.pages[1].extract_text()
    listed = {code: int(n) for n, code in re.findall(r"(\d+)\s*\n\s*(2190020\d\d)", contents)}
    assert set(listed) == {f"21900200{n}" for n in (1, 2, 3, 4)}
    for code, number in listed.items():
        first = next(i for i, text in enumerate(pages[3:], start=3) if code in text)
        assert number == first + 1, code
    assert [item["/Title"] for item in reader.outline] == [
        f"21900200{n}　县卫生健康局项目{n}" for n in (1, 2, 3, 4)
    ]


def test_whole_year_book_docx_has_a_toc_field(county, rules, tmp_path):
    request = ReportRequest(ReportKind.GOAL_BOOK, 2025)
    document = docx.Document(str(export_report(county, request, tmp_path / "汇编.docx", rules)))
    assert any("TOC" in p._p.xml and "instrText" in p._p.xml for p in document.paragraphs)
    assert len(document.tables) == 16
    texts = [flat(p.text) for p in document.paragraphs]
    assert "示例县2025年度项目支出绩效目标汇编" in texts
    assert "一、教科文股" in texts and "（一）县教育局（219001）" in texts


def test_annual_report_pdf_and_docx(county, rules, tmp_path):
    request = ReportRequest(ReportKind.ANNUAL, 2025)
    pdf = export_report(county, request, tmp_path / "报告.pdf", rules, today=TODAY)
    reader = PdfReader(pdf)
    text = flat("".join(p.extract_text() for p in reader.pages))
    assert "关于示例县2025年度预算绩效管理工作情况的报告" in text
    assert "本年度尚未开展绩效运行监控" in text and "2026年3月5日" in text
    assert_embedded(reader)
    document = docx.Document(
        str(export_report(county, request, tmp_path / "报告.docx", rules, today=TODAY))
    )
    texts = [flat(p.text) for p in document.paragraphs]
    assert texts[0] == "关于示例县2025年度预算绩效管理工作情况的报告"
    assert "一、基本工作情况" in texts and "四、下一步工作打算" in texts
    assert texts[-1] == "2026年3月5日"


def test_progress_and_cancel(county, rules, tmp_path):
    tmp_path = tmp_path / "out"  # apart from the database files
    tmp_path.mkdir()
    seen: list[tuple[int, int]] = []
    request = ReportRequest(ReportKind.GOAL_BOOK, 2025)
    export_report(
        county, request, tmp_path / "a.pdf", rules, Progress(lambda d, t, m: seen.append((d, t)))
    )
    assert len(seen) >= 3 and seen[-1][0] == seen[-1][1]  # steps through the whole story
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    calls = []

    def cancel_after_a_while() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        export_report(
            county, request, tmp_path / "b.pdf", rules, Progress(None, cancel_after_a_while)
        )
    assert not (tmp_path / "b.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no temporary file left


def test_unsupported_extension_is_refused_before_any_work(county, rules, tmp_path):
    request = ReportRequest(ReportKind.ANNUAL, 2025)
    with pytest.raises(UserError, match=r"不支持的文件类型“\.xlsx”"):
        export_report(county, request, tmp_path / "报告.xlsx", rules)
