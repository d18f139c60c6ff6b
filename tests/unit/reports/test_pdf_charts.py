"""Charts described by their data: vector graphics in the PDF, a PNG in the .docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from app.reports import Document, Figure, render_to_file
from app.reports.model import BarChart, GroupedBarChart
from app.reports.pdf_charts import nice_ticks

GRADES = BarChart(("优", "良", "中", "差"), (1764, 65, 96, 5), "项目数（个）", height_mm=70)
EXECUTION = GroupedBarChart(
    ("行政政法股", "教科文股"),
    (("预算执行率", (92.06, 85.98)),),
    reference=(100.0, "序时进度"),
    percent=True,
)


@pytest.mark.parametrize(
    ("upper", "ticks"),
    [
        (2028.6, [0, 500, 1000, 1500, 2000]),
        (112.0, [0, 20, 40, 60, 80, 100]),
        (1.15, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.0, [0]),
    ],
)
def test_ticks_are_round_steps_from_zero(upper: float, ticks: list[float]) -> None:
    assert nice_ticks(upper) == ticks


def document() -> Document:
    return Document(
        "图表", (Figure(GRADES, caption="图1　等级分布"), Figure(EXECUTION, caption="图2　执行率"))
    )


def test_the_pdf_draws_charts_as_vectors_with_embedded_fonts(tmp_path: Path) -> None:
    path = tmp_path / "charts.pdf"
    render_to_file(document(), path)
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    for label in ("1764", "项目数", "92.06%", "行政政法股", "序时进度", "100%", "图2"):
        assert label in text
    for page in reader.pages:
        resources = page["/Resources"]
        assert "/XObject" not in resources  # no images: the charts are drawn
        for font in resources["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"]  # all embedded


def test_the_docx_gets_the_same_charts_as_png(tmp_path: Path) -> None:
    path = tmp_path / "charts.docx"
    render_to_file(document(), path)
    images = [
        r.target_part.blob
        for r in docx.Document(str(path)).part.rels.values()
        if "image" in r.reltype
    ]
    assert len(images) == 2
    assert all(blob.startswith(b"\x89PNG") for blob in images)
