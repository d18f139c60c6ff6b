"""GUI start-up: the QApplication, fonts, opening the database, first-run demo data.

Opening goes through app.ui.opening: the writer lock and the day's backup, read-only when
another copy writes, the newest good backup offered for a damaged file.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__, paths
from app.domain.progress import Cancelled
from app.storage.database import Database
from app.ui import preferences
from app.ui.crash import handle_exception, install_excepthook
from app.ui.main_window import MainWindow
from app.ui.opening import OpenedFile, open_interactively
from app.ui.setup.operator_prompt import choose_at_start
from app.ui.widgets.tasks import run_task

log = logging.getLogger(__name__)

EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR = 0, 1, 2
FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
]
FONT_POINT_SIZE = 10
# packaging/linux/jixiao.desktop: Wayland and X taskbars match windows to it by this name.
DESKTOP_FILE_NAME = "jixiao"
_translators: list[QTranslator] = []  # must outlive the application
# Read-only inputs look read-only everywhere: grey, and a plain border so a focused one shows
# no focus frame. `:read-only` is matched when painting, so later setReadOnly calls count.
# (Spin boxes are left alone: a styled border breaks their arrows; the goal header greys
# its locked ones itself.)
READ_ONLY_STYLE = (
    "QLineEdit:read-only, QPlainTextEdit:read-only, QTextEdit:read-only "
    "{ background: palette(window); border: 1px solid palette(mid); border-radius: 2px; }"
)


def run_gui(db_path: Path | None) -> int:
    """Start the desktop application; returns the process exit code."""
    app = ensure_application()
    install_excepthook()
    try:
        started = start(db_path)
    except Exception:
        handle_exception(*sys.exc_info())
        return EXIT_UNEXPECTED
    if isinstance(started, int):
        return started
    try:
        return app.exec()
    finally:
        started.opened.close()  # already done when the window closed; this is for a crash


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setFont(application_font())
    app.setStyleSheet(READ_ONLY_STYLE)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(application_icon())
    install_chinese_translations(app)
    return app


def application_icon() -> QIcon:
    """The window and taskbar icon (resources/icons/jixiao.png)."""
    path = paths.resources_dir() / "icons" / "jixiao.png"
    icon = QIcon(str(path))
    if icon.isNull():
        log.warning("未找到程序图标：%s", path)
    return icon


# Labels Qt 6 reworded that qtbase_zh_CN.qm still lacks (the file dialog's): (context, text).
_MISSING_FROM_QM = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class _QtTextsMissingFromQm(QTranslator):
    def translate(  # returns None: "no translation here"
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "": Qt takes an empty text as a translation and looks no further.
        return _MISSING_FROM_QM.get((context, source))

    def isEmpty(self) -> bool:
        return False


def install_chinese_translations(app: QApplication) -> None:
    """Qt's own texts (确定, 关闭, file dialogs) in Chinese, whatever the OS locale."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _translators:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        _translators.append(translator)
    else:
        log.warning("未找到 Qt 中文翻译文件（%s），Qt 自带按钮将显示英文", folder)
    missing = _QtTextsMissingFromQm(app)
    app.installTranslator(missing)
    _translators.append(missing)


def application_font() -> QFont:
    """A Chinese UI font named explicitly, so Qt never falls back to Japanese glyph shapes."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINT_SIZE)
    return font


def start(db_path: Path | None) -> MainWindow | int:
    """Open the database and show the main window, or return an exit code."""
    opened = open_for_gui(db_path)
    if opened is None:
        return EXIT_USER_ERROR
    window = MainWindow(opened)
    window.show()
    window.after_first_paint(lambda: _settle(window))
    return window


def _settle(window: MainWindow) -> None:
    """After the first paint (and the day's backup): who is working, what opening found."""
    if window.isVisible():
        choose_at_start(window, window.database)
        window.show_operator()
        window.show_notices()


def open_for_gui(db_path: Path | None) -> OpenedFile | None:
    """An explicit path is opened (created empty if missing; the window then offers the
    set-up). Without one, the database used last (a server: reconnected, its dialog
    offering 取消 back to the last file); the very first time the demo, built at
    the default path, so someone who just looks sees a filled-in county, one click
    (新建本县数据库) from their own. None when the user chose to quit."""
    if db_path is None and (server := preferences.last_server()) is not None:
        from app.ui.connect_server import reconnect  # keyring loads only for a server

        opened = reconnect(server)
        if opened is not None:
            return opened
    default = paths.default_database_path()
    path = db_path or preferences.last_database() or default
    first_run = path == default and not path.exists()
    opened = open_interactively(None, path)
    if opened is None or not first_run or opened.read_only:
        return opened
    log.info("首次运行：在 %s 生成示例数据", opened.db.path)
    try:
        _fill_with_demo(opened.db)
    except Exception:
        opened.close()
        _remove_database_files(path)  # so the next start tries again
        raise
    return opened


def _fill_with_demo(db: Database) -> None:
    from app.services.demo import build_demo

    try:
        run_task(
            None,
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
