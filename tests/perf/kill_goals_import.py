"""Crash test with the real thing: kill -9 `python -m app import goals` at random moments.

Setup (once, ~30 s): the demo county for 2025 is exported as a goals workbook (73 units,
2,200 projects, ~24,000 indicators); the base database is the demo county for 2023/2024.
Each run copies the base, starts `python -m app --db RUN import goals FILE.xlsx`, and
SIGKILLs it after a random (seeded) delay. Half the runs pick the moment anywhere in the
whole command (start-up, reading, checking, writing); the other half wait until the
"before import" backup appears (the write transaction starts right after it) and kill
within the write window, so many kills land inside the transaction.

Then the database is reopened as the app does (open_for_writing: writer lock, open,
migrate, daily backup), `PRAGMA integrity_check` runs, and the year's rows are counted:
all projects, goals and indicators with the import's audit entry (complete), or none of
them (absent). Anything else is a partial import and fails the script.

Run by hand (POSIX):  python tests/perf/kill_goals_import.py [--runs 24] [--seed 7]
                      [--work DIR]   (keeps the prepared files in DIR for the next run)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a plain script
    sys.path.insert(0, str(ROOT))

from app.services.common.backups import open_for_writing  # noqa: E402

YEAR = 2025
POLL = 0.002  # seconds between looks for the backup file


@dataclass
class Counts:
    projects: int
    goals: int
    indicators: int
    audit: int  # the import's summary entry

    @property
    def absent(self) -> bool:
        return (self.projects, self.goals, self.indicators, self.audit) == (0, 0, 0, 0)


@dataclass
class Tally:
    runs: int = 0
    complete: int = 0
    absent: int = 0
    partial: int = 0
    integrity_ok: int = 0
    reopened_ok: int = 0
    killed_in_write: int = 0  # killed after the before-import backup appeared, before exit
    finished_first: int = 0  # the command had already exited when the kill came

    def __str__(self) -> str:
        return (
            f"{self.runs} runs: {self.complete} complete, {self.absent} absent, "
            f"{self.partial} partial; integrity ok {self.integrity_ok}/{self.runs}, "
            f"reopened by the app {self.reopened_ok}/{self.runs}; "
            f"killed after the before-import backup (writing or exiting) {self.killed_in_write}, "
            f"finished before the kill {self.finished_first}"
        )


def app(db: Path, *args: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "app", "--db", str(db), *args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prepare(work: Path) -> tuple[Path, Path]:
    """The base database (2023, 2024) and the 2025 goals workbook; reused when present."""
    base, workbook = work / "base.sqlite3", work / "goals2025.xlsx"
    if base.exists() and workbook.exists():
        return base, workbook
    source = work / "source.sqlite3"
    for db, args in (
        (source, ("demo", "--year", str(YEAR))),
        (source, ("export", "goals", "--year", str(YEAR), "--out", str(workbook))),
        (base, ("demo", "--year", str(YEAR - 1))),
    ):
        if app(db, *args).wait() != 0:
            raise RuntimeError(f"setup step failed: {args}")
    return base, workbook


def _fresh(base: Path, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "county.sqlite3"
    shutil.copyfile(base, db)
    return db


def _backup_appeared(db: Path) -> bool:
    folder = db.parent / "backups"
    return folder.exists() and any(folder.glob("*before-import*.sqlite3"))


def calibrate(base: Path, workbook: Path, work: Path) -> tuple[float, float, Counts]:
    """(seconds to the backup, seconds from the backup to exit, the complete counts)."""
    db = _fresh(base, work / "calibrate")
    started = time.perf_counter()
    proc = app(db, "import", "goals", str(workbook))
    while not _backup_appeared(db) and proc.poll() is None:
        time.sleep(POLL)
    at_backup = time.perf_counter()
    if proc.wait() != 0:
        raise RuntimeError("the uninterrupted import failed")
    done = time.perf_counter()
    _, _, counts = inspect(db)
    return at_backup - started, done - at_backup, counts


def inspect(db: Path) -> tuple[bool, bool, Counts]:
    """Reopen as the app does; (reopened, integrity ok, counts of the year)."""
    try:
        opened = open_for_writing(db)
        opened.close()
        reopened = True
    except Exception as exc:  # reported in the tally; the other runs go on
        print(f"    reopening failed: {exc}")
        reopened = False
    with sqlite3.connect(db) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = Counts(*(conn.execute(sql, (YEAR,)).fetchone()[0] for sql in _COUNTS))
    conn.close()
    return reopened, ok, counts


_YEAR_ID = "(SELECT id FROM fiscal_years WHERE year = ?)"
_COUNTS = (
    f"SELECT count(*) FROM projects WHERE year_id = {_YEAR_ID}",
    f"SELECT count(*) FROM goals WHERE year_id = {_YEAR_ID}",
    "SELECT count(*) FROM indicators JOIN goals ON goals.id = indicators.goal_id "
    f"WHERE goals.year_id = {_YEAR_ID}",
    "SELECT count(*) FROM audit_log WHERE action = '导入绩效目标工作簿' "
    "AND after_json LIKE '%' || ? || '%'",
)


@dataclass(frozen=True)
class Outcome:
    reopened: bool
    integrity_ok: bool
    finished_first: bool
    killed_in_write: bool
    counts: Counts
    note: str


def one_run(
    run: int, rng: random.Random, base: Path, workbook: Path, work: Path, timing: tuple
) -> Outcome:
    to_backup, write_window, _ = timing
    db = _fresh(base, work / f"run{run:03d}")
    aim_at_write = run % 2 == 0
    proc = app(db, "import", "goals", str(workbook))
    if aim_at_write:
        while not _backup_appeared(db) and proc.poll() is None:
            time.sleep(POLL)
        delay, where = rng.uniform(0, write_window * 1.1), "after the backup"
    else:
        delay, where = rng.uniform(0, (to_backup + write_window) * 1.1), "after the start"
    time.sleep(delay)
    finished = proc.poll() is not None
    in_write = _backup_appeared(db) and not finished
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    code = proc.wait()
    reopened, ok, counts = inspect(db)
    shutil.rmtree(db.parent, ignore_errors=True)
    note = f"kill {delay * 1000:7.1f} ms {where:<16} exit {code:>3}"
    return Outcome(reopened, ok, finished, in_write, counts, note)


def run_all(runs: int, seed: int, work: Path) -> Tally:
    base, workbook = prepare(work)
    timing = calibrate(base, workbook, work)
    to_backup, write_window, full = timing
    print(
        f"uninterrupted import: {to_backup:.2f} s to the backup, {write_window:.2f} s writing; "
        f"{full.projects} projects, {full.goals} goals, {full.indicators} indicators"
    )
    rng = random.Random(seed)
    tally = Tally()
    for run in range(1, runs + 1):
        out = one_run(run, rng, base, workbook, work, timing)
        counts = out.counts
        state = "complete" if counts == full else "absent" if counts.absent else "partial"
        tally.runs += 1
        tally.integrity_ok += out.integrity_ok
        tally.reopened_ok += out.reopened
        tally.finished_first += out.finished_first
        tally.killed_in_write += out.killed_in_write
        setattr(tally, state, getattr(tally, state) + 1)
        print(
            f"run {run:>3}: {out.note} -> {state:<8} ({counts.projects} projects), "
            f"integrity {out.integrity_ok}",
            flush=True,
        )
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder for the prepared files (kept)")
    args = parser.parse_args()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        tally = run_all(args.runs, args.seed, args.work)
    else:
        with tempfile.TemporaryDirectory(prefix="kill-goals-") as folder:
            tally = run_all(args.runs, args.seed, Path(folder))
    print(tally)
    good = tally.partial == 0 and tally.integrity_ok == tally.reopened_ok == tally.runs
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
