"""How the PDF fills its pages around a chart and before the signature (issue 15): a table
after a chart that does not fit starts on the page and the chart follows its last row; the
signature is never alone and never leaves the page before more than 15% blank."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from app.reports.model import (
    Column,
    Document,
    Figure,
    Paragraph,
    SignatureBlock,
    Table,
)
from app.reports.render import render_to_file
from tests.integration.test_report_pages_demo import blank_shares

LINE = "预算绩效管理工作稳步推进，绩效目标、运行监控和评价结果应用环环相扣。"  # ~1.2 lines


def chart(height_px: int = 500) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, height_px), "steelblue").save(buffer, "PNG")
    return buffer.getvalue()


def pages_text(path) -> list[str]:
    return [page.extract_text().replace(" ", "") for page in PdfReader(str(path)).pages]


def test_a_table_after_a_chart_starts_on_the_page_and_the_chart_follows_it(tmp_path):
    rows = tuple((f"股室{i}", str(i)) for i in range(1, 31))
    blocks = (
        *(Paragraph(LINE) for _ in range(8)),
        Figure(chart(), width_mm=150, caption="图1　示例图"),
        Table((Column(2), Column(1)), (("股室", "项目数"),), rows, caption="表1　示例表"),
        Paragraph("图表之后的说明文字。"),
    )
    path = render_to_file(Document("示例", blocks), tmp_path / "flow.pdf")
    pages = pages_text(path)
    assert "表1" in pages[0]  # the table fills the page the chart did not fit
    chart_page = next(i for i, text in enumerate(pages) if "图1" in text)
    assert chart_page > 0 and "股室30" in "".join(pages[: chart_page + 1])
    assert pages[chart_page].index("股室30") < pages[chart_page].index("图1")
    assert "股室" in pages[1].split("图1")[0][:20]  # the table's header repeats on its page
    assert blank_shares(path)[0] <= 0.15


@pytest.mark.parametrize("paragraphs", range(16, 25))
def test_the_signature_is_never_alone_nor_leaves_a_page_blank(tmp_path, paragraphs):
    blocks = tuple(Paragraph(LINE * (1 + i % 3)) for i in range(paragraphs))
    document = Document(
        "示例", blocks, signature=SignatureBlock("示例县财政局", dt.date(2026, 3, 5))
    )
    path = render_to_file(document, tmp_path / "signed.pdf")
    last = pages_text(path)[-1]
    assert last.index("相扣。") < last.index("示例县财政局")  # body text above it
    shares = blank_shares(path)
    assert max(shares[:-1], default=0) <= 0.15, [round(s, 2) for s in shares]
