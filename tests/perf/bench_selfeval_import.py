"""Benchmark: the self-evaluation workbook round trip for a demo year.

Run: PYTHONPATH=. python tests/perf/bench_selfeval_import.py [--year 2024] [--db demo.sqlite3]

Builds the demo county (unless --db names one), exports the year's workbook, fills the cells
a department would (全年执行数 and 实际完成值 left blank for projects without a stored
self-evaluation), imports it into a copy of the database, then imports it again (nothing
changes the second time). Prints seconds for each step.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from app.services.common.backups import backup_to_file
from app.services.demo import build_demo
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.storage.database import open_database


def fill_like_a_department(path: Path) -> int:
    """Type 全年执行数 = 全年预算数 and 实际完成值 = the target where blank; cells filled."""
    book = load_workbook(path)
    filled = 0
    projects = book["项目"]
    heads = [c.value for c in projects[1]]
    budget, spent = heads.index("全年预算数(万元)") + 1, heads.index("全年执行数(万元)") + 1
    for row in range(2, projects.max_row + 1):
        if projects.cell(row, spent).value is None:
            projects.cell(row, spent).value = projects.cell(row, budget).value
            filled += 1
    indicators = book["指标"]
    heads = [c.value for c in indicators[1]]
    target, actual = heads.index("年度指标值") + 1, heads.index("实际完成值") + 1
    for row in range(2, indicators.max_row + 1):
        if indicators.cell(row, actual).value is None:
            text = str(indicators.cell(row, target).value or "")
            digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
            indicators.cell(row, actual).value = digits or "达成年度指标"
            filled += 1
    book.save(path)
    return filled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = args.db
        if source is None:
            source = folder / "demo.sqlite3"
            db = open_database(source)
            started = time.perf_counter()
            build_demo(db)
            print(f"demo built in {time.perf_counter() - started:.1f} s")
            db.close()
        db = open_database(source)
        workbook = folder / "自评.xlsx"
        started = time.perf_counter()
        result = export_selfeval(db, args.year, workbook)
        print(
            f"export {args.year}: {result.projects} projects, {result.indicators} indicators "
            f"in {time.perf_counter() - started:.2f} s"
        )
        copy = folder / "copy.sqlite3"
        backup_to_file(db, copy)
        db.close()
        print(f"filled {fill_like_a_department(workbook)} blank cells like a department")
        target = open_database(copy)
        for attempt in ("import", "re-import"):
            started = time.perf_counter()
            done = import_selfeval(target, workbook)
            print(
                f"{attempt}: {done.created} created, {done.updated} updated, "
                f"{done.unchanged} unchanged, {len(done.warnings)} reminders "
                f"in {time.perf_counter() - started:.2f} s"
            )
        target.close()
        shutil.rmtree(folder / "backups", ignore_errors=True)


if __name__ == "__main__":
    main()
