"""Benchmark: the whole year's goal book (2,200 goal tables) from the demo database to PDF.

Run: PYTHONPATH=. python tests/perf/bench_goal_book.py [--db PATH] [--year 2025] [--docx]
Without --db a demo database is built first (~4 s, not timed). Target: well under a
minute on 2 cores for the PDF, table of contents included; the .docx (its TOC paginated by
the PDF layout) under 30 s and 400 MB. The peak is the process's, so run one format for it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from app.domain.progress import Progress
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.reports import ReportKind, ReportRequest, build_report, render
from app.storage.database import Database, open_database


def demo_database(folder: Path) -> Database:
    from app.services.demo import build_demo

    db = open_database(folder / "demo.sqlite3")
    build_demo(db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--docx", action="store_true")
    parser.add_argument("--only-docx", action="store_true", help="the .docx alone")
    args = parser.parse_args()
    rules = load_rule_set(default_rules_path())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = open_database(args.db) if args.db else demo_database(folder)
        request = ReportRequest(ReportKind.GOAL_BOOK, args.year)
        started, cpu = time.perf_counter(), time.process_time()
        document = build_report(db, request, rules)
        tables = sum(1 for b in document.blocks if type(b).__name__ == "Table")
        print(f"data + compose: {time.perf_counter() - started:.2f} s, {tables} goal tables")
        suffixes = (".pdf", ".docx") if args.docx else (".pdf",)
        if args.only_docx:
            suffixes = (".docx",)
        for suffix in suffixes:
            steps: list[int] = []
            started, cpu = time.perf_counter(), time.process_time()
            out = render(
                document,
                folder / f"book{suffix}",
                Progress(lambda d, t, m, steps=steps: steps.append(d)),
            )
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            size = out.stat().st_size / 1e6
            extra = ""
            if suffix == ".pdf":
                from pypdf import PdfReader

                extra = f", {len(PdfReader(out).pages)} pages"
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{suffix}: {wall:.2f} s wall, {used:.2f} s cpu, {size:.1f} MB{extra}, "
                f"{len(steps)} progress reports, peak memory so far {peak:.0f} MB"
            )
        db.close()


if __name__ == "__main__":
    main()
