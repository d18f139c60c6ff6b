"""GUI start-up: the QApplication and its fonts, then the main window's frame, painted
before the database layer loads; app.ui.first_open then opens the database into it.

This module and the frame import only Qt and light modules: the window appears within a
blink of the process start (tests/perf/bench_all.py, row "start").
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, paths
from app.ui.crash import handle_exception, install_excepthook
from app.ui.main_window import MainWindow

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
    window = MainWindow()
    window.show()
    window.after_first_paint(lambda: _open_first(window, db_path))
    try:
        return app.exec()
    finally:
        if window.has_database:  # closed with the window; this is for a crash
            window.opened.close()


def _open_first(window: MainWindow, db_path: Path | None) -> None:
    """Open the database into the painted frame, or end the event loop with the code."""
    try:
        from app import __version__  # importlib.metadata: 0.04 s the first paint need not wait
        from app.ui.first_open import start

        QApplication.setApplicationVersion(__version__)
        started = start(db_path, window)
    except Exception:
        handle_exception(*sys.exc_info())
        started = EXIT_UNEXPECTED
    if isinstance(started, int):
        QApplication.exit(started)
        window.close()


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
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
