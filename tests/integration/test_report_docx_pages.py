"""The .docx opens as the PDF prints: the TOC carries the PDF's page numbers inside the TOC field
(kept so Word can refresh it), and landscape pages number at the portrait position."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.reports import Column, Document, Heading, Landscape, PageBreak, Paragraph, Table
from app.reports.render import render_to_file

WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


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


def test_landscape_pages_number_at_the_portrait_position(tmp_path):
    """Portrait footers hold the number as text; landscape ones hold it in a text box turned
    a quarter along the sheet's left edge (the portrait foot); portrait resumes after."""
    table = Table(
        columns=(Column(1), Column(4)),
        header_rows=(("序号", "项目"),),
        body_rows=tuple((str(i), "项目") for i in range(5)),
    )
    document = Document(
        title="横页", blocks=(Paragraph("正文。"), Landscape((table,)), Paragraph("正文。"))
    )
    word = docx.Document(str(render_to_file(document, tmp_path / "land.docx")))
    portrait, landscape, again = word.sections
    for section in (portrait, again):
        for footer in (section.footer, section.even_page_footer):
            assert not footer.is_linked_to_previous
            assert footer.paragraphs[0].text == "— 1 —"  # the PAGE field's shown value
            assert not footer._element.findall(".//" + qn("w:drawing"))
    for footer, align in ((landscape.footer, "right"), (landscape.even_page_footer, "left")):
        assert not footer.is_linked_to_previous
        (body,) = footer._element.findall(f".//{{{WPS}}}bodyPr")
        assert body.get("vert") == "vert"
        (box,) = footer._element.findall(".//" + qn("w:txbxContent"))
        assert "".join(t.text for t in box.iter(qn("w:t"))) == "— 1 —"
        assert "PAGE" in "".join(t.text for t in box.iter(qn("w:instrText")))
        jc = box.find(".//" + qn("w:jc"))
        assert jc is not None and jc.get(qn("w:val")) == align
        offset = footer._element.find(".//" + qn("wp:positionH"))
        assert offset.get("relativeFrom") == "page"
