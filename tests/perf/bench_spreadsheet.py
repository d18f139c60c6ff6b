"""Spreadsheet figures: writing and reading through the sheet specs vs a raw openpyxl parse.

Run: python tests/perf/bench_spreadsheet.py   (or pytest tests/perf/bench_spreadsheet.py -s)
Sizes: a county's 2,200 projects (13 columns) and 27,000 indicators (9 columns).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.progress import Progress
from app.spreadsheet import (
    Column,
    Kind,
    SheetContent,
    SheetSpec,
    read_workbook,
    write_workbook,
)

PROJECTS = SheetSpec(
    "项目",
    [
        Column("年度", "year", Kind.YEAR, required=True),
        Column("单位编码", "unit", Kind.CODE, required=True),
        Column("项目编码", "code", Kind.CODE, required=True),
        Column("项目名称", "name", required=True, width=30),
        Column("项目属性", "attr", Kind.CHOICE, choices=("新增", "延续")),
        Column("资金来源", "source", Kind.CHOICE, choices=("一般公共预算", "政府性基金预算")),
        Column("功能分类科目", "subject", Kind.CODE),
        Column("资金总额(万元)", "total", Kind.MONEY_WAN, required=True),
        Column("财政拨款(万元)", "fiscal", Kind.MONEY_WAN),
        Column("其他资金(万元)", "other", Kind.MONEY_WAN),
        Column("起始年度", "start", Kind.YEAR),
        Column("结束年度", "end", Kind.YEAR),
        Column("年度总体目标", "goal", width=50),
    ],
    unique=[("year", "code")],
)
INDICATORS = SheetSpec(
    "指标",
    [
        Column("项目编码", "code", Kind.CODE, required=True),
        Column("一级指标", "level1", required=True, fill_merged=True),
        Column("二级指标", "level2", required=True, fill_merged=True),
        Column("三级指标", "name", required=True),
        Column("指标性质", "comparator", Kind.CHOICE, choices=("≥", ">", "=", "≤", "<", "定性")),
        Column("指标值", "value"),
        Column("计量单位", "unit"),
        Column("分值", "points", Kind.DECIMAL, places=2),
        Column("指标解释", "explanation", width=40),
    ],
)


def project_rows(n: int = 2200) -> list[dict]:
    return [
        {
            "year": 2025,
            "unit": f"{101 + i % 80:03}",
            "code": f"2025{i:06}",
            "name": f"第{i}号项目（农村公路养护）",
            "attr": "新增" if i % 3 else "延续",
            "source": "一般公共预算",
            "subject": "2080505",
            "total": Decimal(i * 1234567) / 100,
            "fiscal": Decimal(i * 1000000) / 100,
            "other": Decimal(i * 234567) / 100,
            "start": 2024,
            "end": 2026,
            "goal": "完成道路养护任务，提升群众出行满意度。" * 3,
        }
        for i in range(n)
    ]


def indicator_rows(n: int = 27000) -> list[dict]:
    return [
        {
            "code": f"2025{i // 12:06}",
            "level1": "产出指标",
            "level2": "数量指标",
            "name": f"养护里程{i}",
            "comparator": "≥",
            "value": "95",
            "unit": "%",
            "points": Decimal("7.50"),
            "explanation": "按年度计划完成的养护里程占比",
        }
        for i in range(n)
    ]


def raw_parse(path: Path, sheet: str) -> int:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book[sheet].iter_rows(values_only=True))
    book.close()
    return count


def timed(label: str, action) -> float:
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"  {label:<34}{seconds:7.2f} s")
    return result


def bench(spec: SheetSpec, rows: list[dict], folder: Path) -> None:
    print(f"{spec.name}: {len(rows):,} rows × {len(spec.columns)} columns")
    path = folder / f"{spec.name}.xlsx"
    ticks: list[int] = []
    progress = Progress(report=lambda done, total, message: ticks.append(done))
    timed("write through spec (styled)", lambda: write_workbook(path, [SheetContent(spec, rows)]))
    data = timed(
        "read through spec (typed, checked)", lambda: read_workbook(path, [spec], progress)
    )
    raw_rows = timed("raw openpyxl read_only iter_rows", lambda: raw_parse(path, spec.name))
    assert not data.problems and len(data[spec.name].rows) == len(rows), data.problems[:3]
    print(
        f"  file {path.stat().st_size / 1024:,.0f} KB, raw rows {raw_rows:,}, "
        f"progress reports {len(ticks)}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench(PROJECTS, project_rows(), Path(folder))
        bench(INDICATORS, indicator_rows(), Path(folder))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak:,.0f} MB")


def test_bench() -> None:
    main()


if __name__ == "__main__":
    main()
