"""Start-up: the main window paints before the database layer loads, and a database
already at the code's schema pays for no migration machinery.

run_gui runs the real event loop, which a test process can run once: these tests start
their own processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.storage.database import open_database
from tests.gui.conftest import fill_county

ROOT = Path(__file__).resolve().parents[2]

# Runs app.main.main on argv, recording each show of a MainWindow: was SQLAlchemy loaded,
# did it show a database. The window quits once it shows one (after `settled`).
RECORD_SHOWS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import app.ui.main_window as mw
shows = []
real_show = mw.MainWindow.showEvent
def show_event(self, event):
    real_show(self, event)
    shows.append(("sqlalchemy" in sys.modules, self.has_database))
    from app.ui.setup import operator_prompt
    operator_prompt._ask = lambda *args: None  # the start-up question: 暂不填写
mw.MainWindow.showEvent = show_event
def quit_when_shown():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, mw.MainWindow) and window.has_database and window.settled:
            print("rows", window.goals_page.model.rowCount())
            window.close()
            return
    QTimer.singleShot(20, quit_when_shown)
QTimer.singleShot(0, quit_when_shown)
from app.main import main
code = main(sys.argv[1:])
print("shows", shows)
print("code", code)
"""


def run_recording_shows(tmp_path: Path, *argv: str, before: str = "") -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # preferences (recent files) go here
    done = subprocess.run(
        [sys.executable, "-c", before + RECORD_SHOWS, *argv],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def test_the_window_is_shown_before_the_database_layer_loads_then_shows_the_county(tmp_path):
    path = tmp_path / "县.sqlite3"
    db = open_database(path)
    fill_county(db, {2025: 4})
    db.close()
    out = run_recording_shows(tmp_path, "--db", str(path))
    assert out["shows"] == "[(False, False)]"  # one window, painted before SQLAlchemy
    assert out["rows"] == "4"  # then filled with the county's year
    assert out["code"] == "0"


def test_giving_up_on_a_damaged_file_closes_the_frame_and_exits_with_2(tmp_path):
    path = tmp_path / "坏.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    quit_at_the_question = (
        "from app.ui.widgets import choice\n"
        "choice._present = lambda box: choice.key_of(box, '退出')\n"
    )
    out = run_recording_shows(tmp_path, "--db", str(path), before=quit_at_the_question)
    assert out["shows"] == "[(False, False)]" and "rows" not in out
    assert out["code"] == "2"


def test_an_unexpected_error_while_opening_is_reported_and_exits_with_1(tmp_path):
    failing_open = (
        "from app.ui import application, first_open\n"
        "def broken(*args):\n"
        "    raise RuntimeError('磁盘出错')\n"
        "first_open.open_for_gui = broken\n"
        "application.handle_exception = lambda kind, exc, tb: print('reported', exc)\n"
    )
    out = run_recording_shows(tmp_path, "--db", str(tmp_path / "x.sqlite3"), before=failing_open)
    assert out["reported"] == "磁盘出错"
    assert out["code"] == "1"


def test_window_start_imports_no_heavy_library_and_no_page_but_the_first(tmp_path):
    path = tmp_path / "county.sqlite3"
    open_database(path).close()  # created and migrated to head by this process
    script = (
        "import sys\n"
        "from app.ui import application, first_open\n"
        "from app.ui.setup import operator_prompt\n"
        "operator_prompt._ask = lambda *args: None\n"  # the start-up question: 暂不填写
        "def shown_then_stopped(db_path):\n"
        "    application.ensure_application()\n"
        "    first_open.start(db_path).database.close()\n"
        "    return 0\n"
        "application.run_gui = shown_then_stopped\n"
        "from app.main import main\n"
        f"main(['--db', {str(path)!r}])\n"
        "heavy = ('alembic', 'reportlab', 'matplotlib', 'openpyxl', 'docx')\n"
        "from app.ui.pages import page_entries\n"
        "later = [e.module for e in page_entries()[1:]]\n"  # built when first shown
        "print(','.join(m for m in (*heavy, *later) if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # preferences (recent files) go here
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_visiting_the_evaluation_and_monitoring_pages_does_not_import_matplotlib(tmp_path):
    """Their charts (grades; the monitoring dashboard) are painted by Qt: matplotlib (~76 MB)
    stays out of the GUI process."""
    path = tmp_path / "demo.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # preferences (recent files) go here
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(path), "demo", "--scale", "0.05"],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from app.ui import application, first_open\n"
        "application.ensure_application()\n"
        f"window = first_open.start(Path({str(path)!r}))\n"
        "import time\n"
        "def visit(name, chart):\n"
        "    nav = window.navigation\n"
        "    nav.setCurrentRow(next(i for i in range(nav.count()) if nav.item(i).text() == name))\n"
        "    page, deadline = window.pages.currentWidget(), time.monotonic() + 90\n"
        "    while not chart(page).has_chart() and time.monotonic() < deadline:\n"
        "        QApplication.processEvents()\n"
        "        time.sleep(0.01)\n"
        "    return chart(page).has_chart()\n"
        "graded = visit('绩效自评', lambda page: page.chart)\n"
        "from app.ui.monitoring.page import DASHBOARD_TAB\n"
        "def dashboard(page):\n"
        "    page.tabs.setCurrentIndex(DASHBOARD_TAB)\n"
        "    return page.dashboard_view.departments\n"
        "charted = visit('绩效监控', dashboard)\n"
        "print(graded, charted, 'matplotlib' in sys.modules)\n"
        "window.database.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["True", "True", "False"], done.stdout + done.stderr
