"""Render the sample document to .docx and PDF and inspect the files."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader
from reports_sample import HEADER_TEXT, TITLE, WIDE_HEADER, sample_document

from app.domain.errors import UserError
from app.reports import Cancelled, ReportError, charts, render_to_file


@pytest.fixture(scope="module")
def chart_png() -> bytes:
    return charts.bar_chart(["优", "良", "中", "差"], [12, 86, 4, 1], title="等级分布")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def pdf_path(out_dir: Path, chart_png: bytes) -> Path:
    steps: list[tuple[int, int]] = []
    path = render_to_file(
        sample_document(chart_png),
        out_dir / "报告.pdf",
        progress=lambda d, t, m: steps.append((d, t)),
    )
    assert steps and steps[-1][0] == steps[-1][1]  # progress ends at 100 %
    assert [d for d, _t in steps] == sorted(d for d, _t in steps)
    return path


@pytest.fixture(scope="module")
def docx_doc(out_dir: Path, chart_png: bytes) -> docx.document.Document:
    path = render_to_file(sample_document(chart_png), out_dir / "报告.docx")
    return docx.Document(str(path))


# -- PDF ------------------------------------------------------------------------------
def test_pdf_breaks_the_long_table_and_repeats_its_header(pdf_path: Path) -> None:
    pages = [page.extract_text() for page in PdfReader(pdf_path).pages]
    assert len(pages) > 5
    assert TITLE in pages[0].replace("\n", "")
    table_pages = [i for i, text in enumerate(pages) if "指标150" in text or "指标1" in text]
    first, last = table_pages[0], table_pages[-1]
    assert last > first + 1  # 150 rows span several pages
    for i in range(first + 1, last + 1):
        assert HEADER_TEXT in pages[i] and "一级指标" in pages[i], f"page {i + 1}"
    wide_pages = [i for i, text in enumerate(pages) if "高标准农田建设项目" in text]
    assert len(wide_pages) >= 2 and all(WIDE_HEADER in pages[i] for i in wide_pages)


def test_pdf_embeds_its_fonts(pdf_path: Path) -> None:
    fonts = {}
    for page in PdfReader(pdf_path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("+" in name for name in fonts)  # subset prefix: an embedded TrueType
    for name, font in fonts.items():  # every font, even Helvetica, must be embedded
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert not any("STSong" in name for name in fonts)


def test_pdf_landscape_pages_and_page_numbers(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert any(w > h for w, h in boxes) and boxes[0][0] < boxes[0][1]
    for number, page in enumerate(reader.pages[:3], 1):
        assert f"— {number} —" in page.extract_text()


# -- DOCX -----------------------------------------------------------------------------
def test_docx_page_geometry(docx_doc: docx.document.Document) -> None:
    first = docx_doc.sections[0]
    assert (first.page_width.twips, first.page_height.twips) == (11906, 16838)
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert [m.twips for m in margins] == [2098, 1984, 1587, 1474]
    orientations = [s.orientation for s in docx_doc.sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT
    wide = docx_doc.sections[orientations.index(WD_ORIENT.LANDSCAPE)]
    assert wide.page_width > wide.page_height


def _east_asia(element: object) -> str | None:
    fonts = element.find(f".//{qn('w:rFonts')}")  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_docx_names_east_asian_fonts(docx_doc: docx.document.Document) -> None:
    normal = docx_doc.styles["Normal"].element
    assert _east_asia(normal) == "仿宋_GB2312"
    assert normal.find(f".//{qn('w:rFonts')}").get(qn("w:ascii")) == "仿宋_GB2312"
    by_text = {p.text: p for p in docx_doc.paragraphs}
    assert _east_asia(by_text[TITLE].runs[0]._r) == "方正小标宋简体"
    assert _east_asia(by_text["一、基本工作情况"].runs[0]._r) == "黑体"
    assert _east_asia(by_text["（一）健全制度体系"].runs[0]._r) == "楷体_GB2312"
    assert "1.完善事前评估机制" in by_text and "（1）评估范围" in by_text
    assert "某某县财政局" in by_text and "2025年7月1日" in by_text
    font_table = next(
        rel.target_part.blob
        for rel in docx_doc.part.rels.values()
        if rel.reltype.endswith("/fontTable")
    ).decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"' in font_table


def test_docx_table_header_rows_repeat_and_cells_merge(docx_doc: docx.document.Document) -> None:
    tbl = docx_doc.tables[0]._tbl
    rows = tbl.findall(qn("w:tr"))
    assert len(rows) == 153
    header_flags = [r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for r in rows]
    assert header_flags[:4] == [True, True, True, False] and not any(header_flags[3:])
    assert tbl.findall(f".//{qn('w:gridSpan')}") and tbl.findall(f".//{qn('w:vMerge')}")
    assert tbl.find(f".//{qn('w:tblLayout')}").get(qn("w:type")) == "fixed"
    grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == 11906 - 1587 - 1474  # exactly the 版心 width
    assert docx_doc.tables[0].cell(3, 2).text.startswith("第1项指标")


def test_docx_footer_has_page_fields(docx_doc: docx.document.Document) -> None:
    assert docx_doc.settings.odd_and_even_pages_header_footer
    section = docx_doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(
            " —"
        )


# -- files ----------------------------------------------------------------------------
def test_cover_and_toc_render(out_dir: Path, chart_png: bytes) -> None:
    document = sample_document(chart_png, cover=True, toc=True)
    pdf = render_to_file(document, out_dir / "toc.pdf")
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    assert "提请县人大常委会审议" in pages[0] and "— 1 —" not in pages[0]
    assert "目" in pages[1] and "基本工作情况" in pages[1] and "存在的问题" in pages[1]
    word = docx.Document(str(render_to_file(document, out_dir / "toc.docx")))
    assert any("TOC" in p._p.xml and "instrText" in p._p.xml for p in word.paragraphs)


def test_locked_target_gives_a_chinese_message(
    out_dir: Path, chart_png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out_dir / "locked" / "报告.docx"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    for suffix in (".docx", ".pdf"):
        path = target.with_suffix(suffix)
        with pytest.raises(UserError) as info:
            render_to_file(sample_document(chart_png), path)
        assert "文件被占用" in info.value.message and str(path) in info.value.message
    assert sorted(p.name for p in target.parent.iterdir()) == ["报告.docx"]
    assert target.read_bytes() == b"old"


def test_missing_folder_and_bad_extension(out_dir: Path, chart_png: bytes) -> None:
    with pytest.raises(UserError, match="保存位置不存在"):
        render_to_file(sample_document(chart_png), out_dir / "nope" / "a.pdf")
    with pytest.raises(ReportError, match="不支持的文件类型"):
        render_to_file(sample_document(chart_png), out_dir / "a.txt")


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_cancel_mid_render_leaves_no_file(out_dir: Path, chart_png: bytes, suffix: str) -> None:
    folder = out_dir / f"cancel{suffix}"
    folder.mkdir()
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(Cancelled):
        render_to_file(sample_document(chart_png), folder / f"报告{suffix}", cancel=cancel)
    assert len(calls) == 6
    assert list(folder.iterdir()) == []
