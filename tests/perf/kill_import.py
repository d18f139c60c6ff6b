"""Crash test: kill -9 an importing process at random moments; the import is all or nothing.

A child process opens the database and writes a new year with thousands of projects in ONE
transaction (bulk inserts, as an import does). The parent SIGKILLs it after a random
(seeded) delay, reopens the database, runs PRAGMA integrity_check and counts the year's
projects: all of them (complete) or none (absent); anything else is a partial import.

Run by hand (POSIX):  python tests/perf/kill_import.py [--runs 25] [--projects 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a plain script
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from app.storage.database import open_database  # noqa: E402
from app.storage.models import Department, FiscalYear, Project  # noqa: E402

YEAR = 2031
BATCH = 500


@dataclass
class Tally:
    runs: int = 0
    complete: int = 0
    absent: int = 0
    partial: int = 0
    integrity_ok: int = 0
    killed_mid_import: int = 0  # killed before the child reported its commit

    def __str__(self) -> str:
        return (
            f"{self.runs} runs: {self.complete} complete, {self.absent} absent, "
            f"{self.partial} partial, integrity ok {self.integrity_ok}/{self.runs} "
            f"(killed before the commit was reported: {self.killed_mid_import})"
        )


def child(db_path: Path, projects: int) -> None:
    """The import: one transaction, bulk inserts in batches (a kill can land between them)."""
    db = open_database(db_path)
    print("ready", flush=True)
    with db.transaction() as s:
        year = FiscalYear(year=YEAR)
        s.add(year)
        s.flush()
        dept = s.scalar(select(Department.id))
        for start in range(0, projects, BATCH):
            rows = [
                {
                    "year_id": year.id,
                    "department_id": dept,
                    "code": f"{i:09d}",
                    "name": f"导入项目{i}",
                    "kind": "新增",
                    "total_amount": Decimal("12345.67"),
                }
                for i in range(start, min(start + BATCH, projects))
            ]
            s.execute(insert(Project), rows)
    print("committed", flush=True)
    db.close()


def prepare(folder: Path) -> Path:
    base = folder / "base.sqlite3"
    db = open_database(base)
    with db.transaction() as s:
        s.add(Department(code="219001", name="县教育局"))
    db.close()  # closed: the file alone holds everything, so copying it is safe
    return base


def _start_child(db_path: Path, projects: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--child", str(db_path), str(projects)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.wait()
        proc.stdout.close()
        raise RuntimeError("the importing child did not start")
    return proc


def _finish(proc: subprocess.Popen[str]) -> bool:
    """Reap the child; whether it reported its commit."""
    assert proc.stdout is not None
    rest = proc.stdout.read()
    proc.wait()
    proc.stdout.close()
    return "committed" in rest


def calibrate(base: Path, folder: Path, projects: int) -> float:
    """Seconds from "ready" to the end of an uninterrupted import."""
    work = folder / "calibrate.sqlite3"
    shutil.copyfile(base, work)
    proc = _start_child(work, projects)
    started = time.perf_counter()
    _finish(proc)
    return time.perf_counter() - started


def inspect(db_path: Path, projects: int) -> tuple[str, bool]:
    """Reopen as the app does; return ("complete" | "absent" | "partial", integrity ok)."""
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with db.session() as s:
            year_id = s.scalar(select(FiscalYear.id).where(FiscalYear.year == YEAR))
            count = s.scalar(
                select(func.count()).select_from(Project).where(Project.year_id == year_id)
            )
    finally:
        db.close()
    if year_id is None and count == 0:
        return "absent", integrity
    return ("complete" if count == projects else "partial"), integrity


def run_iterations(
    runs: int,
    projects: int,
    seed: int,
    folder: Path,
    report: Callable[[str], None] = print,
) -> Tally:
    rng = random.Random(seed)
    base = prepare(folder)
    window = calibrate(base, folder, projects) * 1.25  # some kills land after the commit
    report(f"import of {projects} projects takes ~{window / 1.25:.2f} s; killing within it")
    tally = Tally()
    for run in range(1, runs + 1):
        work = folder / f"run{run}.sqlite3"
        shutil.copyfile(base, work)
        delay = rng.uniform(0, window)
        proc = _start_child(work, projects)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        committed = _finish(proc)
        tally.killed_mid_import += not committed
        state, ok = inspect(work, projects)
        if committed and state != "complete":  # a reported commit must survive a kill
            state = "partial"
        tally.runs += 1
        tally.integrity_ok += ok
        setattr(tally, state, getattr(tally, state) + 1)
        report(f"run {run:>3}: kill after {delay * 1000:6.1f} ms -> {state}, integrity {ok}")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("DB", "PROJECTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), int(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="kill-import-") as folder:
        tally = run_iterations(args.runs, args.projects, args.seed, Path(folder))
    print(tally)
    return 0 if tally.partial == 0 and tally.integrity_ok == tally.runs else 1


if __name__ == "__main__":
    sys.exit(main())
