"""Every speed figure of the product against a floor measured in the same run.

    python tests/perf/bench_all.py [--runs 3] [--keep DIR] [--db COUNTY] [--only score,sample]

Builds a five-year county (the demo's two years rolled forward three times, ~11,000 projects),
then times whole processes, app and floor alternately, and prints one row per measure:
app median, floor median, ratio. Floors are what the same machine needs for the bare work
(a bare Qt window, openpyxl reading the file, sqlite3 selecting the rows, LibreOffice
converting the app's own .docx). No figure is asserted: compare the rows before and after.
``--db`` reuses a county built (and kept) by an earlier run; ``--only`` picks rows by name
(start, import, score, sample, annual, book, pages).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
# Bytecode is cached as in an installed build (PyInstaller ships it): a shell that sets
# PYTHONDONTWRITEBYTECODE would otherwise have every run compile the app's sources again.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHONPATH": str(ROOT),
}
YEAR = 2025  # the demo's current year: goals, monitoring, self-evaluations, sample

# A child that reports its own peak memory (KiB) on stderr's last line.
WITH_RSS = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
finally:
    sys.stderr.write(f"\\nmaxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
"""

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setWindowTitle("floor"); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

# The real entry point, quitting once the main window has been shown and painted.
APP_WINDOW = """
import gc; gc.disable()  # as app/__main__.py, which runs below, starts the process
import runpy
import app.ui.main_window as mw
shown = mw.MainWindow.showEvent
def show_event(self, event):
    shown(self, event)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    QTimer.singleShot(0, QApplication.quit)
mw.MainWindow.showEvent = show_event
runpy.run_module("app", run_name="__main__")
"""

# The same, quitting once the window shows the database: the year's list filled.
APP_FILLED = """
import gc; gc.disable()
import runpy
import app.ui.main_window as mw
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
def quit_when_filled():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, mw.MainWindow) and window.has_database:
            if window.goals_page.model.rowCount():
                QApplication.quit()
                return
    QTimer.singleShot(5, quit_when_filled)
QTimer.singleShot(0, quit_when_filled)
runpy.run_module("app", run_name="__main__")
"""

# Visit every page of year YEAR (rounds, self-evaluations, sample), opening the monitoring
# dashboard tab, then report peak memory and the filter's time per keystroke. A page's wait
# is until it answers again; "loaded" is until its background reads have ended.
VISIT_PAGES = """
import gc; gc.disable()
import resource, runpy, statistics, sys, time
import app.ui.main_window as mw
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui.widgets.background import BackgroundLoader
YEAR = int(sys.argv.pop(1))
shown = mw.MainWindow.showEvent
def show_event(self, event):
    shown(self, event)
    def settle():
        idle_since = None
        while True:
            QApplication.processEvents()
            if any(loader.busy for loader in self.findChildren(BackgroundLoader)):
                idle_since = None
            elif idle_since is None:
                idle_since = time.perf_counter()
            elif time.perf_counter() - idle_since > 0.3:
                return
            time.sleep(0.01)
    def timed(name, act, waits, loads):
        t0 = time.perf_counter()
        act()
        QApplication.processEvents()
        waits.append((name, time.perf_counter() - t0))
        settle()
        loads.append((name, time.perf_counter() - t0 - 0.3))
    def visit():
        if not self.has_database:  # the frame painted; the database is shown next
            QTimer.singleShot(20, visit)
            return
        self.year_combo.setCurrentIndex(self.year_combo.findData(YEAR))
        settle()
        waits, loads = [], []
        for row in range(self.navigation.count()):
            name = self.navigation.item(row).text()
            timed(name, lambda: self.navigation.setCurrentRow(row), waits, loads)
            if name == "绩效监控":
                from app.ui.monitoring.page import DASHBOARD_TAB
                page = self.pages.currentWidget()
                timed("仪表盘", lambda: page.tabs.setCurrentIndex(DASHBOARD_TAB), waits, loads)
        self.navigation.setCurrentRow(0)
        search = self.goals_page.search
        ms = []
        for text in ("2", "21", "219", "2190", "219001", "教", "教育"):
            t0 = time.perf_counter()
            search.setText(text)
            QApplication.processEvents()
            ms.append((time.perf_counter() - t0) * 1000)
        print("waits", ";".join(f"{n}={s:.2f}" for n, s in waits))
        print("loaded", ";".join(f"{n}={s:.2f}" for n, s in loads))
        print("filter_ms", f"{statistics.median(ms):.1f}")
        print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        QApplication.quit()
    if not hasattr(self, "_visiting"):
        self._visiting = True
        QTimer.singleShot(0, visit)
mw.MainWindow.showEvent = show_event
runpy.run_module("app", run_name="__main__")
"""


def run(args: list[str], cwd: Path | None = None) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run(args, env=ENV, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(args)}\n{done.stderr[-2000:]}")
    return seconds, done.stdout, done.stderr


def app(*cli: str) -> list[str]:
    return [PY, "-c", WITH_RSS, "app", *cli]


def paired(runs: int, a: Callable[[], float], b: Callable[[], float] | None) -> tuple[float, float]:
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(a())
        if b is not None:
            times_b.append(b())
    return statistics.median(times_a), statistics.median(times_b) if times_b else float("nan")


def row(name: str, app_s: float, floor_s: float, floor_name: str, unit: str = "s") -> None:
    ratio = f"{app_s / floor_s:6.2f}×" if floor_s == floor_s and floor_s > 0 else "    — "
    floor = f"{floor_s:8.2f} {unit}" if floor_s == floor_s else "       —  "
    print(f"{name:<44} {app_s:8.2f} {unit} {floor} {ratio}  (floor: {floor_name})")


def build_county(folder: Path) -> Path:
    db = folder / "county.sqlite3"
    run([PY, "-m", "app", "--db", str(db), "demo", "--year", str(YEAR)])
    for year in (YEAR, YEAR + 1, YEAR + 2):
        run([PY, "-m", "app", "--db", str(db), "rollover", "--from-year", str(year)])
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the built database and files here")
    parser.add_argument("--db", type=Path, help="a five-year county from an earlier --keep")
    parser.add_argument("--only", default=",".join(ROWS), help="rows to run, comma-separated")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_all_"))
    try:
        bench(folder, options.runs, options.db, options.only.split(","))
    finally:
        if options.keep:
            shutil.copytree(folder, options.keep, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


ROWS = ("start", "import", "score", "sample", "annual", "book", "pages")


def bench(folder: Path, runs: int, county: Path | None, only: list[str]) -> None:
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "app")], env=ENV, check=True)
    t0 = time.perf_counter()
    if county is None:
        db = build_county(folder)
    else:
        db = folder / "county.sqlite3"
        shutil.copy(county, db)
    print(f"five-year county ready in {time.perf_counter() - t0:.1f} s: {db}")
    print(f"{'measure':<44} {'app':>10} {'floor':>10} {'ratio':>7}")
    for name in only:
        MEASURES[name](folder, db, runs)


def start(folder: Path, db: Path, runs: int) -> None:
    d = str(db)
    s_app, s_floor = paired(
        runs,
        lambda: run([PY, "-c", APP_WINDOW, "--db", d])[0],
        lambda: run([PY, "-c", BARE_WINDOW])[0],
    )
    row("start → main window shown (5 years)", s_app, s_floor, "bare QMainWindow")
    f_app, f_floor = paired(
        runs,
        lambda: run([PY, "-c", APP_FILLED, "--db", d])[0],
        lambda: run([PY, "-c", BARE_WINDOW])[0],
    )
    row("start → the year's list shown (5 years)", f_app, f_floor, "bare QMainWindow")


def import_goals(folder: Path, db: Path, runs: int) -> None:
    d = str(db)
    book = folder / "goals.xlsx"
    run([PY, "-m", "app", "--db", d, "export", "goals", "--year", str(YEAR), "--out", str(book)])
    target = folder / "import.sqlite3"

    def import_once() -> float:
        shutil.copy(db, target)
        return run(app("--db", str(target), "import", "goals", str(book)))[0]

    parse = (
        "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
        "for ws in wb.worksheets:\n    for _ in ws.iter_rows(values_only=True): pass\n"
    )
    i_app, i_floor = paired(runs, import_once, lambda: run([PY, "-c", parse, str(book)])[0])
    row("import goals (unchanged workbook)", i_app, i_floor, "openpyxl read-only parse")


SELECT = (
    "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n"
    "c.execute('select * from self_evaluation_indicators i join self_evaluations e "
    "on e.id = i.evaluation_id').fetchall()\n"
)


def select_floor(db: Path) -> float:
    return run([PY, "-c", SELECT, str(db)])[0]


def score(folder: Path, db: Path, runs: int) -> None:
    d = str(db)
    sc_app, sc_floor = paired(
        runs,
        lambda: run(app("--db", d, "score", "--year", str(YEAR)))[0],
        lambda: select_floor(db),
    )
    row("score --year", sc_app, sc_floor, "sqlite3 SELECT of the rows")


def sample(folder: Path, db: Path, runs: int) -> None:
    target = folder / "sample.sqlite3"

    def sample_once() -> float:
        shutil.copy(db, target)
        return run(app("--db", str(target), "sample", "--year", str(YEAR), "--replace"))[0]

    sa_app, sa_floor = paired(runs, sample_once, lambda: select_floor(db))
    row("sample (20 %)", sa_app, sa_floor, "sqlite3 SELECT of the rows")


def annual(folder: Path, db: Path, runs: int) -> None:
    pdf, docx = folder / "annual.pdf", folder / "annual.docx"
    report = ["--db", str(db), "report", "annual", "--year", str(YEAR)]
    run(app(*report, "--out", str(docx)))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = f"-env:UserInstallation=file://{folder}/lo"
    convert = [soffice or "soffice", profile, "--headless", "--convert-to", "pdf"]
    a_app, a_floor = paired(
        runs,
        lambda: run(app(*report, "--out", str(pdf)))[0],
        (lambda: run([*convert, "--outdir", str(folder / "lo_out"), str(docx)])[0])
        if soffice
        else None,
    )
    row("annual report → PDF", a_app, a_floor, "LibreOffice converting the app's .docx")


def book(folder: Path, db: Path, runs: int) -> None:
    book_args = ["--db", str(db), "report", "goal-book", "--year", str(YEAR)]
    g_pdf, _, _ = run(app(*book_args, "--out", str(folder / "book.pdf")))
    row("goal book → PDF", g_pdf, float("nan"), "goal: < 20 s")
    g_docx, _, err = run(app(*book_args, "--out", str(folder / "book.docx")))
    rss = int(err.rsplit("maxrss", 1)[1]) / 1024
    row("goal book → .docx", g_docx, float("nan"), f"goal: < 30 s; peak {rss:.0f} MB")


def pages(folder: Path, db: Path, runs: int) -> None:
    _, out, _ = run([PY, "-c", VISIT_PAGES, str(YEAR), "--db", str(db)])
    fields = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    qt_floor = run(
        [PY, "-c", BARE_WINDOW + "import resource; print(resource.getrusage(0).ru_maxrss)"]
    )[1]
    row(
        "peak memory after every page (MB)",
        int(fields["maxrss"]) / 1024,
        int(qt_floor.split()[-1]) / 1024,
        "bare Qt window",
        unit="MB",
    )
    row(
        "filter the list per keystroke (ms)",
        float(fields["filter_ms"]),
        float("nan"),
        "goal ≤ 30",
        unit="ms",
    )
    print("page waits (s):", fields["waits"])
    print("page loaded (s):", fields["loaded"])


MEASURES: dict[str, Callable[[Path, Path, int], None]] = {
    "start": start,
    "import": import_goals,
    "score": score,
    "sample": sample,
    "annual": annual,
    "book": book,
    "pages": pages,
}


if __name__ == "__main__":
    main()
