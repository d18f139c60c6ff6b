from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import paths
from app.domain.errors import UserError
from app.domain.progress import Progress
from app.storage.database import Database, open_database
from app.ui import application, first_open
from app.ui.crash import handle_exception
from app.ui.main_window import MainWindow
from tests.gui.conftest import fill_county

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def default_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "jixiao.sqlite3"
    monkeypatch.setattr(paths, "default_database_path", lambda: path)
    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "logs")
    return path


@pytest.fixture
def demo_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """A stand-in for app.services.demo: records its calls and builds a tiny county."""
    calls: list[dict] = []

    def build_demo(db: Database, *, progress: Progress, **kwargs: object) -> str:
        calls.append({"db": db, **kwargs})
        progress.step(0, 2, "正在生成单位")
        fill_county(db, {2025: 5})
        progress.step(2, 2, "完成")
        return "summary"

    module = types.ModuleType("app.services.demo")
    module.build_demo = build_demo  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.services.demo", module)
    return calls


def _started(qtbot, result: MainWindow | int) -> MainWindow:  # type: ignore[no-untyped-def]
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    return result


def test_first_run_builds_the_demo_and_shows_it(qtbot, default_db, demo_calls):
    window = _started(qtbot, first_open.start(None))
    try:
        assert len(demo_calls) == 1
        assert window.database.path == default_db.resolve()
        assert window.isVisible()
        assert window.year == 2025
        assert window.goals_page.model.rowCount() == 5
    finally:
        window.database.close()


def test_second_run_does_not_build_the_demo_again(qtbot, default_db, demo_calls):
    open_database(default_db).close()
    window = _started(qtbot, first_open.start(None))
    window.database.close()
    assert demo_calls == []


def test_explicit_missing_path_gets_an_empty_database(qtbot, tmp_path, default_db, demo_calls):
    window = _started(qtbot, first_open.start(tmp_path / "新建.sqlite3"))
    try:
        assert demo_calls == []
        assert (tmp_path / "新建.sqlite3").exists()
        assert window.goals_page.model.rowCount() == 0
    finally:
        window.database.close()


def test_failed_demo_leaves_no_half_built_database(default_db, monkeypatch):
    def broken(db: Database, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    module = types.ModuleType("app.services.demo")
    module.build_demo = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.services.demo", module)
    with pytest.raises(RuntimeError):
        first_open.start(None)
    assert not default_db.exists()


def test_database_from_a_newer_version_is_refused_in_chinese(tmp_path, shown_messages):
    path = tmp_path / "newer.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    assert first_open.start(path) == 2
    assert "更新版本的程序" in shown_messages.texts[0]


def test_crash_dialog_names_the_log_folder(default_db, shown_messages, tmp_path):
    try:
        raise RuntimeError("unexpected")
    except RuntimeError:
        handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    title, text, details = shown_messages.shown[0]
    assert title == "程序出错"
    assert str(tmp_path / "logs") in text
    assert "RuntimeError: unexpected" in details


def test_uncaught_user_error_is_shown_as_a_user_error(shown_messages):
    try:
        raise UserError("文件被占用")
    except UserError:
        handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert shown_messages.shown == [("操作未完成", "文件被占用", "")]


def test_application_font_names_chinese_families(qapp):
    application.ensure_application()
    families = QApplication.font().families()
    assert families[:2] == ["Microsoft YaHei UI", "Microsoft YaHei"]
    assert "WenQuanYi Zen Hei" in families
    assert QApplication.applicationDisplayName() == "预算绩效管理"


def test_window_start_does_not_import_heavy_libraries(tmp_path):
    """Report, spreadsheet and chart libraries load when first used, not at start-up."""
    # Through the real entry point, with the event loop replaced by "show and stop".
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
        f"main(['--db', {str(tmp_path / 'x.sqlite3')!r}])\n"
        "heavy = ('reportlab', 'matplotlib', 'openpyxl', 'docx')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # preferences (recent files) go here
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
