"""The results list: totals by 股室 and by unit come first, each project prints on one line,
and its landscape pages number at the portrait position."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.reports import Landscape, Table, layout
from app.reports.render import render_to_file
from app.services.results.records import AdjustmentRow, DepartmentResults
from app.services.results.report import compose_results_list

KEEP = "绩效自评等级为“优”，保持或予以支持"


def _row(n: int, code: str, unit: str, section: str) -> AdjustmentRow:
    return AdjustmentRow(
        n, f"{code}{n:03d}", "石门镇人大代表联络站建设", code, unit, section, "优", "自评",
        "保持", KEEP, Decimal(1_234_567_800), Decimal(0), Decimal(0), None, "", "", None,
    )  # fmt: skip


def _groups() -> list[DepartmentResults]:
    units = [("101001", "县人大常委会办公室", "行政政法股"), ("201001", "县教育局", "教科文股")]
    return [
        DepartmentResults(
            code, unit, section, tuple(_row(n, code, unit, section) for n in range(30))
        )
        for code, unit, section in units
    ]


def test_totals_by_section_and_unit_come_before_the_details() -> None:
    document = compose_results_list(2025, _groups())
    captions = [b.caption for b in document.blocks if isinstance(b, Table)]
    assert captions == ["按股室汇总", "按单位汇总"]
    by_section = document.blocks[2]
    assert [r[0].text for r in by_section.body_rows] == ["行政政法股", "教科文股", "合计"]
    assert by_section.body_rows[-1][3] == "7,407,406.80"  # 60 × 123,456.78 万元, grouped
    assert isinstance(document.blocks[-1], Landscape)


def test_each_project_prints_on_one_line_and_pages_number_like_portrait(tmp_path: Path) -> None:
    path = render_to_file(compose_results_list(2025, _groups()), tmp_path / "清单.pdf")
    lines = [line for p in PdfReader(path).pages for line in p.extract_text().split("\n")]
    # a cell that wrapped would come out as two text lines
    assert lines.count(KEEP) == lines.count("石门镇人大代表联络站建设") == 60
    for page in pdfium.PdfDocument(str(path)):
        width, height = page.get_size()
        if width < height:
            continue
        grey = np.asarray(page.render(scale=50 / 72).to_pil().convert("L"))
        px = grey.shape[1] / layout.LANDSCAPE.width_mm
        foot = grey[round((210 - layout.LANDSCAPE.bottom_mm + 2) * px) :]
        left_strip = grey[:, : round((layout.LANDSCAPE.left_mm - 3) * px)]
        assert (foot > 200).all()  # nothing under the landscape type area
        assert (left_strip < 200).any()  # the number sits at the sheet's foot, turned


LONG_NAME = "城乡居民基本医疗保险财政补助资金二批"  # 18 characters: 13 fit at 9 pt
LONG_WHY = "绩效自评等级为“中”，按规则调减不低于20.00%，调减0.27万元"


def test_a_long_name_and_reason_shrink_to_their_line_in_pdf_and_word(tmp_path: Path) -> None:
    import docx

    groups = _groups()
    first = groups[0].rows[0]
    long_row = replace(first, project_name=LONG_NAME, basis=LONG_WHY)
    groups[0] = replace(groups[0], rows=(long_row, *groups[0].rows[1:]))
    document = compose_results_list(2025, groups)
    path = render_to_file(document, tmp_path / "清单.pdf")
    lines = [line for p in PdfReader(path).pages for line in p.extract_text().split("\n")]
    assert LONG_NAME in lines and LONG_WHY in lines  # each one text line
    word = docx.Document(str(render_to_file(document, tmp_path / "清单.docx")))
    cells = {c.text: c for t in word.tables for row in t.rows for c in row.cells}
    for text in (LONG_NAME, LONG_WHY):
        run = cells[text].paragraphs[0].runs[0]
        assert run.font.size is not None and run.font.size.pt < 9  # smaller, not wrapped
        assert run._r.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
