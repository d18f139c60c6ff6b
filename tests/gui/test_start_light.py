"""Start-up of a database already at the code's schema pays for no migration machinery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_window_start_imports_no_heavy_library_and_no_page_but_the_first(tmp_path):
    path = tmp_path / "county.sqlite3"
    open_database(path).close()  # created and migrated to head by this process
    script = (
        "import sys\n"
        "from app.ui import application\n"
        "from app.ui.setup import operator_prompt\n"
        "operator_prompt._ask = lambda *args: None\n"  # the start-up question: 暂不填写
        "def shown_then_stopped(db_path):\n"
        "    application.ensure_application()\n"
        "    application.start(db_path).database.close()\n"
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
        "from app.ui import application\n"
        "application.ensure_application()\n"
        f"window = application.start(Path({str(path)!r}))\n"
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
