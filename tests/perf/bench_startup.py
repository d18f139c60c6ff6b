"""Time from process start to the first shown and painted main window.

    python tests/perf/bench_startup.py [DB]   (default: builds a demo database in a temp folder)

Runs the real entry point (app.main.main) in a child process, offscreen, five times.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
t0 = float(sys.argv.pop(1))
import app.ui.main_window as mw
shown = mw.MainWindow.showEvent
def show_event(self, event):
    shown(self, event)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    def report():
        heavy = [m for m in ("reportlab", "matplotlib", "openpyxl", "docx") if m in sys.modules]
        print(f"{time.time() - t0:.3f} {self.goals_page.model.rowCount()} {heavy}")
        QApplication.quit()
    QTimer.singleShot(0, report)
mw.MainWindow.showEvent = show_event
from app.main import main
sys.exit(main(sys.argv[1:]))
"""


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(folder) / "demo.sqlite3"
        if not db.exists():
            subprocess.run(
                [sys.executable, "-m", "app", "--db", str(db), "demo"], check=True, env=env
            )
        for _ in range(5):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(time.time()), "--db", str(db)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            ).stdout.split(maxsplit=2)
            seconds, rows, heavy = out[0], out[1], out[2].strip()
            print(f"first window after {seconds} s, {rows} rows, heavy modules loaded: {heavy}")


if __name__ == "__main__":
    main()
