"""Goals workbook figures: export the demo year, import it into a fresh database.

Run: python tests/perf/bench_goals_import.py
Prints the export time, a raw openpyxl read_only parse of the same file (the floor), the
import into a fresh database (phases: check, then write), and an idempotent re-import.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.progress import Progress
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.demo import build_demo
from app.services.goals.workbook import check_goals_workbook, export_goals, import_goals
from app.storage.database import open_database

YEAR = 2025


def raw_parse(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += sum(v is not None for v in row)
    book.close()
    return cells


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"{label:<34}{time.perf_counter() - start:6.2f} s")
    return result


def main() -> None:
    rules = load_rule_set(default_rules_path())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = open_database(root / "demo" / "demo.sqlite3")
        timed("build demo database", lambda: build_demo(source))
        path = root / "goals.xlsx"
        result = timed("export 2025 (all departments)", lambda: export_goals(source, path, YEAR))
        size = path.stat().st_size / 1024 / 1024
        print(f"  {result.projects} projects, {result.indicators} indicators, {size:.1f} MB")
        cells = timed("raw openpyxl read_only parse", lambda: raw_parse(path))
        print(f"  {cells:,} non-empty cells")
        target = open_database(root / "fresh" / "fresh.sqlite3")
        timed("check only (dry run)", lambda: check_goals_workbook(target, path, rules))
        steps = []
        progress = Progress(report=lambda d, t, m: steps.append(d))
        imported = timed(
            "import into a fresh database",
            lambda: import_goals(target, path, rules, progress=progress),
        )
        print(f"  {imported.describe()}; {len(steps)} progress steps")
        again = timed("re-import (nothing changes)", lambda: import_goals(target, path, rules))
        print(f"  {again.describe()}")
        source.close()
        target.close()


if __name__ == "__main__":
    main()
