"""The whole year's goal book (2,200 goal tables of the demo county) as .docx in bounded
memory, measured in a process of its own. Slow: run with `-m slow`. Time is printed by
tests/perf/bench_goal_book.py --docx, never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

MEMORY_LIMIT_MB = 400
# Runs the CLI in this process and reports its peak resident memory (Linux: kB).
MEASURE = """
import resource, sys
from app.main import main
sys.argv = ["app", *sys.argv[1:]]
code = main()
print("PEAK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
sys.exit(code)
"""


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_goal_book_docx_for_2200_projects_stays_under_400_mb(tmp_path: Path):
    db = str(tmp_path / "demo.sqlite3")
    run("--db", db, "demo")
    out = tmp_path / "book.docx"
    printed = run("--db", db, "report", "goal-book", "--year", "2025", "--out", str(out))
    peak = int(printed.split("PEAK")[-1])
    print(f"goal book .docx peak memory: {peak} MB")
    assert peak < MEMORY_LIMIT_MB, f"峰值内存 {peak} MB"
    book = docx.Document(str(out))
    assert len(book.tables) >= 2200
    toc = [p.text for p in book.paragraphs if p.style.name.startswith("toc ")]
    assert len(toc) > 50 and all(line.split("\t")[1].isdigit() for line in toc)
