"""The same work on both backends, side by side: SQLite file vs PostgreSQL server.

    BPM_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:55432/postgres \\
        python tests/perf/bench_backends.py [--scale 1]

The URL's user must be allowed to CREATE DATABASE: a new database is made for the run and
dropped after (BPM_TEST_DATABASE_URL is used when BPM_BENCH_DATABASE_URL is not set).
Times demo build, goals workbook import (the demo's 2025 goals into an empty database),
scoring 2025, and the annual report (PDF), each once per backend, in this process.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.cli import build_parser, run_command
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.demo import build_demo
from app.services.evaluation import score_year
from app.services.goals.workbook import export_goals, import_goals
from app.storage.database import open_database

YEAR = 2025


@contextmanager
def server_databases(url: str) -> Iterator[Callable[[str], str]]:
    """Makes databases on the server for the run; drops them afterwards."""
    base = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def new(name: str) -> str:
        name = f"bpm_bench_{os.getpid()}_{name}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    try:
        yield new
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(demo: str | Path, fresh: str | Path, workbook: Path, folder: Path, scale: float):
    """Seconds per step on one backend."""
    rules = load_rule_set(default_rules_path())
    db = open_database(demo)
    figures = {"demo build": timed(lambda: build_demo(db, year=YEAR, scale=scale))}
    figures["score 2025"] = timed(lambda: score_year(db, YEAR, rules))
    db.close()
    target = open_database(fresh)
    figures["goals import"] = timed(lambda: import_goals(target, workbook, rules))
    target.close()
    figures["annual report (PDF)"] = timed(lambda: report(demo, folder))
    return figures


def report(database: str | Path, folder: Path) -> None:
    pdf = folder / f"annual-{time.monotonic_ns()}.pdf"
    argv = ["--db", str(database), "report", "annual", "--year", str(YEAR), "--out", str(pdf)]
    run_command(build_parser().parse_args(argv))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    url = os.environ.get("BPM_BENCH_DATABASE_URL") or os.environ.get("BPM_TEST_DATABASE_URL")
    if not url:
        sys.exit("set BPM_BENCH_DATABASE_URL to a PostgreSQL URL that may CREATE DATABASE")
    with tempfile.TemporaryDirectory() as name, server_databases(url) as new_database:
        folder = Path(name)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")  # the server's backups go here
        source = open_database(folder / "source.sqlite3")
        build_demo(source, year=YEAR, scale=args.scale)
        workbook = folder / "goals.xlsx"
        export_goals(source, workbook, YEAR)
        source.close()
        report(source.target, folder)  # warm up: fonts and templates load once per process
        sqlite = measure(
            folder / "demo.sqlite3", folder / "fresh.sqlite3", workbook, folder, args.scale
        )
        server = measure(new_database("demo"), new_database("fresh"), workbook, folder, args.scale)
    print(f"{'step':<22}{'SQLite':>10}{'PostgreSQL':>12}{'ratio':>8}")
    for step, seconds in sqlite.items():
        other = server[step]
        print(f"{step:<22}{seconds:>9.2f}s{other:>11.2f}s{other / seconds:>8.2f}")


if __name__ == "__main__":
    main()
