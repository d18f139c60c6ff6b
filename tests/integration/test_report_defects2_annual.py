"""Annual report: the 暂缺 notes are plain indented body text, 合计 rows use the body font,
and tables are followed by a small gap in both PDF and Word."""

from __future__ import annotations

import docx
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt

from app.reports import Column, Document, Paragraph, Table, render_to_file
from app.reports.fonts import default_fonts, symbol_fonts
from app.reports.pdf_blocks import table_flowables
from app.reports.pdf_styles import PdfStyles
from app.services.reports.annual_data import annual_report_data
from app.services.reports.annual_doc import annual_report_document
from tests import factories
from tests.integration.test_report_annual import TODAY, build_goals, templates

NOTE = "（本年度尚未开展抽查复核，相关数据暂缺。）"


def test_missing_sample_note_is_a_plain_indented_paragraph(db, rules):
    projects = build_goals(db)
    with db.transaction() as s:
        factories.self_evaluation(s, s.merge(projects["219001001"]))
    document = annual_report_document(annual_report_data(db, 2025, rules), templates(), TODAY)
    notes = [b for b in document.blocks if isinstance(b, Paragraph) and b.plain_text == NOTE]
    assert len(notes) == 1
    note = notes[0]
    assert note.indent
    assert not any(span.bold for span in note.spans)
    # 合计 rows print in the body font (bold would switch them to 黑体).
    tables = [b for b in document.blocks if isinstance(b, Table)]
    totals = [t.body_rows[-1] for t in tables if _text(t.body_rows[-1][0]) == "合计"]
    assert totals
    assert not any(getattr(cell, "bold", False) for row in totals for cell in row)


def _text(cell) -> str:
    return cell if isinstance(cell, str) else cell.text


def _doc() -> Document:
    table = Table((Column(1), Column(1)), (("甲", "乙"),), (("1", "2"),))
    return Document(title="表后留白", blocks=(table, Paragraph("表格下方的正文。")))


def test_word_table_is_followed_by_a_six_point_gap(tmp_path):
    path = render_to_file(_doc(), tmp_path / "t.docx")
    body = docx.Document(path).element.body
    table = body.find(docx.oxml.ns.qn("w:tbl"))
    gap = docx.text.paragraph.Paragraph(table.getnext(), None)
    assert gap.text == ""
    assert gap.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert gap.paragraph_format.line_spacing == Pt(6)


def test_pdf_table_keeps_a_gap_before_the_text_below():
    fonts = {role: f.pdf_name for role, f in default_fonts().items()}
    rows = tuple((str(n), "行") for n in range(20))
    long = Table((Column(1), Column(1)), (("甲", "乙"),), rows)
    table = table_flowables(long, 400, PdfStyles(fonts, symbol_fonts()))[-1]
    assert table.getSpaceAfter() == 6
    # A table split across pages keeps the gap under its last part.
    table.wrap(400, 1000)
    parts = table.split(400, 120)
    assert len(parts) == 2
    assert parts[-1].getSpaceAfter() == 6
