"""What the GUI opens at start, into the main window's painted frame: the file given, else
the server or file used last, else (the very first time) the demo, built at the default
path. Opening goes through app.ui.opening: the writer lock and the day's backup, read-only
when another copy writes, the newest good backup offered for a damaged file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app import paths
from app.domain.progress import Cancelled
from app.storage.database import Database
from app.ui import preferences
from app.ui.application import EXIT_USER_ERROR
from app.ui.main_window import MainWindow
from app.ui.opening import OpenedFile, open_interactively
from app.ui.setup.operator_prompt import choose_at_start
from app.ui.widgets.tasks import run_task

log = logging.getLogger(__name__)


def start(db_path: Path | None, window: MainWindow | None = None) -> MainWindow | int:
    """Open the database and show it in `window` (the frame run_gui painted; a new window
    when None), or return an exit code."""
    opened = open_for_gui(db_path, window)
    if opened is None:
        return EXIT_USER_ERROR
    if window is None:
        window = MainWindow(opened)
        window.show()
    else:
        window.show_database(opened)
    window.after_first_paint(lambda: _settle(window))
    return window


def _settle(window: MainWindow) -> None:
    """After the first paint (and the day's backup): who is working, what opening found."""
    if window.isVisible():
        choose_at_start(window, window.database)
        window.show_operator()
        window.show_notices()


def open_for_gui(db_path: Path | None, parent: QWidget | None = None) -> OpenedFile | None:
    """An explicit path is opened (created empty if missing; the window then offers the
    set-up). Without one, the database used last (a server: reconnected, its dialog
    offering 取消 back to the last file); the very first time the demo, built at
    the default path, so someone who just looks sees a filled-in county, one click
    (新建本县数据库) from their own. None when the user chose to quit."""
    if db_path is None and (server := preferences.last_server()) is not None:
        from app.ui.connect_server import reconnect  # keyring loads only for a server

        opened = reconnect(server, parent)
        if opened is not None:
            return opened
    default = paths.default_database_path()
    path = db_path or preferences.last_database() or default
    first_run = path == default and not path.exists()
    opened = open_interactively(parent, path)
    if opened is None or not first_run or opened.read_only:
        return opened
    log.info("首次运行：在 %s 生成示例数据", opened.db.path)
    try:
        _fill_with_demo(opened.db, parent)
    except Exception:
        opened.close()
        _remove_database_files(path)  # so the next start tries again
        raise
    return opened


def _fill_with_demo(db: Database, parent: QWidget | None) -> None:
    from app.services.demo import build_demo

    try:
        run_task(
            parent,
            "首次运行",
            lambda progress: build_demo(db, progress=progress),
            label="首次运行：正在生成示例县的演示数据，请稍候…",
        )
    except Cancelled:
        log.info("用户取消了示例数据的生成，使用空数据库")


def _remove_database_files(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            candidate.unlink(missing_ok=True)
        except OSError:
            log.warning("无法删除未完成的数据库文件 %s", candidate, exc_info=True)
