"""The main window: year selector, the yearly cycle on the left, one page per step."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.domain.errors import UserError
from app.services.common.catalog import list_years
from app.services.common.info import DatabaseInfo, database_info
from app.storage.database import Database
from app.ui.goals.page import GoalsPage
from app.ui.opening import (
    OpenedFile,
    choose_database_file,
    open_backup_file,
    open_interactively,
    restore_in_place,
    restored_message,
)
from app.ui.pages import page_entries
from app.ui.settings.page import SettingsPage
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import set_window_read_only

log = logging.getLogger(__name__)

READ_ONLY_BANNER_STYLE = (
    "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c36c;"
    " padding: 6px 10px; font-weight: bold; }"
)


class MainWindow(QMainWindow):
    """Shows one database. Given an OpenedFile it owns it: closing the window closes the
    database and releases the writer lock. Given a bare Database the caller closes it."""

    def __init__(self, source: Database | OpenedFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._owns = isinstance(source, OpenedFile)
        self._opened = source if isinstance(source, OpenedFile) else OpenedFile(source)
        self._info: DatabaseInfo | None = None
        self._closed = False
        self._backup_windows: list[MainWindow] = []
        self.read_only_banner = QLabel()
        self.year_combo = QComboBox()
        self.navigation = QListWidget()
        self.pages = QStackedWidget()
        self.page_widgets: dict[str, QWidget] = {}
        self.path_label = QLabel()
        self.counts_label = QLabel()
        self._build()
        self.resize(QSize(1280, 800))
        self.setMinimumSize(QSize(960, 600))
        self._load_database()

    @property
    def _db(self) -> Database:
        return self._opened.db

    @property
    def database(self) -> Database:
        return self._db

    @property
    def opened(self) -> OpenedFile:
        return self._opened

    @property
    def goals_page(self) -> GoalsPage:
        page = self.page_widgets["绩效目标"]
        assert isinstance(page, GoalsPage)
        return page

    def _cycle_pages(self) -> list[QWidget]:
        return [p for p in self.page_widgets.values() if hasattr(p, "set_year")]

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self._build_menus()
        self._build_toolbar()
        for entry in page_entries():
            page = entry.factory(self._db)
            self.page_widgets[entry.name] = page
            changed = getattr(page, "data_changed", None)
            if changed is not None:  # years or projects changed there (roll forward, delete)
                changed.connect(lambda p=page: self._on_page_data_changed(p))
            if isinstance(page, SettingsPage):
                page.restore_requested.connect(self.restore_from_backup)
                page.open_backup_requested.connect(self.open_backup_window)
            self.navigation.addItem(entry.name)
            self.pages.addWidget(page)
        self.navigation.setStyleSheet(
            "QListWidget { font-size: 11pt; } QListWidget::item { padding: 7px 12px; }"
        )
        self.navigation.setFixedWidth(
            self.fontMetrics().horizontalAdvance("抽查复核") * 11 // 8 + 48
        )
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self.goals_page.goal_table_requested.connect(self._on_goals_page_goal_table_requested)
        self.navigation.setCurrentRow(0)
        self.read_only_banner.setStyleSheet(READ_ONLY_BANNER_STYLE)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 0, 0)
        outer.addWidget(self.read_only_banner)
        layout = QHBoxLayout()
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.open_action = QAction("打开数据库(&O)…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        file_menu.addAction(self.open_action)
        self.forms_action = QAction("导入表格（纸质表样）(&I)…", self)
        self.forms_action.triggered.connect(self._on_forms_action_triggered)
        file_menu.addAction(self.forms_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.about_action = QAction("关于(&A)", self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("年度")
        bar.setMovable(False)
        bar.setObjectName("year_toolbar")
        bar.addWidget(QLabel(" 年度： "))
        self.year_combo.setMinimumWidth(120)
        self.year_combo.setPlaceholderText("尚无年度数据")
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_current_index_changed)
        bar.addWidget(self.year_combo)
        bar.addSeparator()
        bar.addAction(self.forms_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    # -- state ---------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def _load_database(self) -> None:
        """Fill everything from the current database; select the latest year."""
        mode = "（只读）" if self._db.read_only else ""
        self.setWindowTitle(f"{APP_NAME} — {self._db.path.name}{mode}")
        self.path_label.setText(f"数据库{mode}：{self._db.path}")
        self.read_only_banner.setText(self._opened.read_only_note or "只读：不能保存修改。")
        self.read_only_banner.setVisible(self._db.read_only)
        self.forms_action.setEnabled(not self._db.read_only)
        set_window_read_only(self, self._db.read_only)
        self._info = None
        self._fill_years(keep=None)
        for page in self._cycle_pages():
            page.set_database(self._db, self.year)  # type: ignore[attr-defined]
        self._recount()

    def _fill_years(self, keep: int | None) -> None:
        """List the database's years, selecting `keep` if it is one, else the latest."""
        years = list_years(self._db)
        blocker = self.year_combo.blockSignals(True)
        try:
            self.year_combo.clear()
            for year in years:
                self.year_combo.addItem(f"{year} 年", year)
            self.year_combo.setCurrentIndex(years.index(keep) if keep in years else len(years) - 1)
        finally:
            self.year_combo.blockSignals(blocker)

    def _recount(self) -> None:
        # Counting every table takes ~0.1 s on a full year: let the window appear first.
        self.counts_label.setText("正在统计… ")
        QTimer.singleShot(0, self, self._refresh_counts)

    def _refresh_counts(self) -> None:
        if self._closed:
            return
        self._info = database_info(self._db)
        self._show_counts()

    def _show_counts(self) -> None:
        info = self._info
        if info is None:
            return
        departments = info.tables.get("departments", 0)
        text = f"单位 {departments} 个"
        year = next((y for y in info.years if y.year == self.year), None)
        if year is not None:
            goals = year.project_goals + year.department_goals
            text += f"　|　{year.year} 年度：项目 {year.projects} 个，绩效目标 {goals} 个"
        self.counts_label.setText(text + " ")

    def open_database_file(self, path: Path) -> bool:
        """Switch to another database file; when it does not open keep the current one."""
        if path.expanduser().resolve() == self._db.path:
            return True  # already open here (asking for its lock again would find our own)
        opened = open_interactively(self, path, quit_label="取消")
        if opened is None:
            return False
        old, self._opened = self._opened, opened
        if self._owns:
            old.close()
        else:
            old.db.close()
        self._owns = True
        log.info("切换数据库：%s", opened.db.path)
        self._load_database()
        self.show_notices()
        return True

    def show_notices(self) -> None:
        """Warnings from opening (backup failed, last session crashed), once."""
        for text in self._opened.warnings:
            show_error(self, text)
        for title, text in self._opened.infos:
            show_info(self, title, text)
        self._opened.warnings.clear()
        self._opened.infos.clear()

    def restore_from_backup(self, backup_path: Path) -> bool:
        """Replace this database by a backup (already confirmed) and show the result."""
        try:
            result = restore_in_place(self._opened, backup_path)
        except UserError as exc:
            show_error(self, exc)
            return False
        finally:
            self._load_database()
        show_info(self, "已从备份恢复", restored_message(result))
        return True

    def open_backup_window(self, backup_path: Path) -> MainWindow | None:
        """Look at a backup in a second, read-only window."""
        try:
            opened = open_backup_file(backup_path)
        except UserError as exc:
            show_error(self, exc)
            return None
        window = MainWindow(opened)
        self._backup_windows = [w for w in self._backup_windows if not w._closed]
        self._backup_windows.append(window)
        window.show()
        return window

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        for window in self._backup_windows:
            window.close()
        if self._owns:
            self._opened.close()  # releases the writer lock
        super().closeEvent(event)

    # -- slots ---------------------------------------------------------------------------
    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)

    def _on_goals_page_goal_table_requested(self, code: str, department: bool) -> None:
        """打印绩效目标表 (goals page or goal editor): the 报告 page previews that table."""
        reports = self.page_widgets["报告"]
        self.navigation.setCurrentRow(self.pages.indexOf(reports))
        reports.show_goal_table(code, department)  # type: ignore[attr-defined]

    def _on_page_data_changed(self, source: QWidget) -> None:
        """Another year may exist now, and other pages show stale data: refill the year
        list (keeping the year on screen) and let the other pages reload when shown."""
        self._fill_years(keep=self.year)
        for page in self._cycle_pages():
            if page is not source:
                page.set_year(self.year)  # type: ignore[attr-defined]
        self._info = None
        self._recount()

    def _on_year_combo_current_index_changed(self, _index: int) -> None:
        for page in self._cycle_pages():
            page.set_year(self.year)  # type: ignore[attr-defined]
        self._show_counts()

    def _on_open_action_triggered(self) -> None:
        path = choose_database_file(self, self._db.path.parent)
        if path is not None:
            self.open_database_file(path)

    def _on_forms_action_triggered(self) -> None:
        from app.ui.forms.dialog import FormsImportDialog

        dialog = FormsImportDialog(self._db, self.year, self)
        dialog.forms_imported.connect(lambda: self._on_page_data_changed(dialog))
        dialog.exec()
        dialog.deleteLater()

    def _on_about_action_triggered(self) -> None:
        from app.ui.about import show_about

        show_about(self._db, self)
