"""Start-up of a database already at the code's schema pays for no migration machinery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_window_start_on_a_current_database_does_not_import_alembic(tmp_path):
    path = tmp_path / "county.sqlite3"
    open_database(path).close()  # created and migrated to head by this process
    script = (
        "import sys\n"
        "from app.ui import application\n"
        "def shown_then_stopped(db_path):\n"
        "    application.ensure_application()\n"
        "    application.start(db_path).database.close()\n"
        "    return 0\n"
        "application.run_gui = shown_then_stopped\n"
        "from app.main import main\n"
        f"main(['--db', {str(path)!r}])\n"
        "heavy = ('alembic', 'reportlab', 'matplotlib', 'openpyxl', 'docx')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
