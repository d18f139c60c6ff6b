"""Benchmark: a bound book of 2,200 project goal tables rendered to PDF (and .docx).

Run: /tmp/venv/bin/python tests/perf/bench_reports_engine.py [sections] [--docx] [--toc]
Target: well under a minute on 2 cores for the PDF.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.reports import (
    Align,
    Cell,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    render_to_file,
)

LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标")


def section(i: int) -> tuple:
    info = Table(
        columns=(Column(1.2), Column(2.5, Align.LEFT), Column(1.2), Column(2.0, Align.LEFT)),
        body_rows=(
            ("项目名称", f"第{i}号农村人居环境整治提升项目", "项目编码", f"52112{i:016d}"),
            ("主管部门", "县农业农村局", "实施单位", "县农村能源服务中心"),
            ("资金总额", f"{1000 + i:,}.00万元", "其中：财政拨款", f"{800 + i:,}.00万元"),
            (
                "年度总体目标",
                Cell(
                    "完成农村户厕改造1200户，村庄保洁覆盖率达到100%，群众满意度不低于90%。",
                    colspan=3,
                ),
            ),
        ),
        font_size=10.5,
    )
    rows = []
    for k in range(12):
        first = ("产出指标", "效益指标", "满意度指标")[min(k // 5, 2)]
        rows.append((first, LEVEL2[k % 6], f"改造农村户厕数量{k + 1}", "≥", "1200", "户", "5"))
    indicators = Table(
        columns=(
            Column(1.1),
            Column(1.5),
            Column(2.8, Align.LEFT),
            Column(0.6),
            Column(0.9, Align.RIGHT),
            Column(0.7),
            Column(0.6),
        ),
        header_rows=(("一级指标", "二级指标", "三级指标", "性质", "指标值", "单位", "分值"),),
        body_rows=tuple(rows),
    )
    return (
        Heading(2, f"第{i}号农村人居环境整治提升项目"),
        info,
        Paragraph("绩效指标：", indent=False),
        indicators,
    )


def main() -> None:
    count = int(next((a for a in sys.argv[1:] if a.isdigit()), 2200))
    blocks: list = [Heading(1, "项目支出绩效目标")]
    started = time.perf_counter()
    for i in range(1, count + 1):
        blocks.extend(section(i))
    document = Document(
        title="2025年度项目支出绩效目标汇编", blocks=tuple(blocks), toc="--toc" in sys.argv
    )
    print(f"compose {count} sections: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), time.process_time()
        pdf = render_to_file(document, Path(folder) / "book.pdf")
        pdf_cpu = time.process_time() - cpu
        from pypdf import PdfReader

        pages = len(PdfReader(pdf).pages)
        print(
            f"pdf: {time.perf_counter() - started:.2f} s wall, {pdf_cpu:.2f} s cpu, {pages} pages, "
            f"{pdf.stat().st_size / 1e6:.1f} MB"
        )
        if "--docx" in sys.argv:
            started, cpu = time.perf_counter(), time.process_time()
            out = render_to_file(document, Path(folder) / "book.docx")
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"docx: {wall:.2f} s wall, {cpu:.2f} s cpu, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
