"""The .docx table of contents opens filled: the PDF's own page numbers inside the TOC field,
which is kept so Word can refresh it."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.reports import Document, Heading, PageBreak, Paragraph
from app.reports.render import render_to_file


def book() -> Document:
    blocks = []
    for i in range(1, 4):
        blocks.append(Heading(1, f"第{i}部分"))
        blocks.append(Heading(2, f"第{i}部分的项目"))
        blocks.extend(Paragraph("项目绩效目标说明。" * 30) for _ in range(i * 3))
        blocks.append(PageBreak())
    return Document(title="项目支出绩效目标汇编", blocks=tuple(blocks), toc=True)


def pdf_pages(path) -> dict[str, int]:
    """Heading text -> page, from the PDF's outline (bookmarks)."""
    reader = PdfReader(str(path))
    pages: dict[str, int] = {}

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[item.title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return pages


def test_toc_lines_carry_the_pdf_page_numbers_inside_the_field(tmp_path):
    document = book()
    expected = pdf_pages(render_to_file(document, tmp_path / "book.pdf"))
    assert len(expected) == 6 and len(set(expected.values())) > 2
    word = docx.Document(str(render_to_file(document, tmp_path / "book.docx")))
    paragraphs = word.paragraphs
    lines = [p for p in paragraphs if p.style.name.startswith("toc ")]
    shown = {p.text.split("\t")[0]: int(p.text.split("\t")[1]) for p in lines}
    assert shown == expected
    assert [p.style.name for p in lines[:2]] == ["toc 1", "toc 2"]
    # one field: begin + instruction in the first line, end in the last
    first, last = lines[0]._p, lines[-1]._p
    kinds = [el.get(qn("w:fldCharType")) for el in first.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate"]
    assert "TOC" in "".join(t.text for t in first.iter(qn("w:instrText")))
    assert [el.get(qn("w:fldCharType")) for el in last.iter(qn("w:fldChar"))] == ["end"]
    assert word.settings.element.find(qn("w:updateFields")) is not None
