"""The main window: year selector, the yearly cycle on the left, one page per step.

The window paints before the database layer loads: `MainWindow()` is the frame (title,
menus, navigation, status bar) that a process start shows within a blink, and
`show_database` fills it once the file is open. So this module imports only Qt and light
modules; a method that reads the database imports what it uses, all loaded by then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent
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
from app.storage.kinds import DATABASE, DEPARTMENT, GOAL, PROJECT, SETTINGS, YEAR
from app.ui import preferences
from app.ui.changes import ChangeRelay
from app.ui.file_menu import FileMenu
from app.ui.main_window_pages import PageBook
from app.ui.pages import CyclePage, page_entries
from app.ui.setup.banner import SetupBanner
from app.ui.widgets.background import stop_loads
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import hold_read_only, set_window_read_only

if TYPE_CHECKING:
    from app.services.common.info import DatabaseInfo
    from app.storage.database import Database
    from app.ui.goals.page import GoalsPage
    from app.ui.opening import OpenedFile

log = logging.getLogger(__name__)

READ_ONLY_BANNER_STYLE = (
    "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c36c;"
    " padding: 6px 10px; font-weight: bold; }"
)


class MainWindow(QMainWindow):
    """Shows one database. Given an OpenedFile it owns it: closing the window closes the
    database and releases the writer lock. Given a bare Database the caller closes it.
    Given nothing it is the frame alone, until `show_database`.

    `data_changed(kinds)`: a committed transaction changed objects of these kinds
    (app/storage/kinds.py), wherever it ran; the pages that show them reload."""

    data_changed = Signal(object)  # frozenset[str]

    def __init__(
        self, source: Database | OpenedFile | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._owns = False
        self._opened: OpenedFile | None = None
        self._info: DatabaseInfo | None = None
        self._closed = False
        self._backup_windows: list[MainWindow] = []
        self._painted = False
        self._after_paint: list[Callable[[], None]] = []  # run once the window has painted
        self.read_only_banner = QLabel()
        self.year_combo = QComboBox()
        self.navigation = QListWidget()
        self.pages = QStackedWidget()
        self._database_shown = False  # pages built before that get the database from it
        self.page_widgets = PageBook(self.pages, page_entries(), lambda: self._db, self._setup_page)
        self.changes = ChangeRelay(self)
        self.changes.data_changed.connect(self.data_changed)
        self.data_changed.connect(self._on_data_changed)
        self.path_label = QLabel()
        self.counts_label = QLabel()
        self.operator_label = QLabel()
        self.setup_banner = SetupBanner()
        self._build()
        self.setWindowTitle(APP_NAME)
        self.resize(QSize(1280, 800))
        self.setMinimumSize(QSize(960, 600))
        if source is not None:
            self.show_database(source)

    def show_database(self, source: Database | OpenedFile) -> None:
        """Fill the frame with its first database (later ones come through `switch_to`)."""
        from PySide6.QtCore import Qt  # its namespace (15 ms) is not needed for the frame

        from app.ui.opening import OpenedFile

        assert self._opened is None, "a window shows its first database once"
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._owns = isinstance(source, OpenedFile)
        self._opened = source if isinstance(source, OpenedFile) else OpenedFile(source)
        self.menuBar().setEnabled(True)
        self.year_toolbar.setEnabled(True)
        self.page_widgets.show_row(max(self.navigation.currentRow(), 0))  # the first page
        self._load_database()

    @property
    def _db(self) -> Database:
        return self.opened.db

    @property
    def database(self) -> Database:
        return self._db

    @property
    def has_database(self) -> bool:
        return self._opened is not None

    @property
    def opened(self) -> OpenedFile:
        assert self._opened is not None, "the window shows no database yet"
        return self._opened

    @property
    def cycle_pages(self) -> list[CyclePage]:
        """The pages built so far (the others start from the database when first shown)."""
        return self.page_widgets.built()

    @property
    def goals_page(self) -> GoalsPage:
        from app.ui.goals.page import GoalsPage  # built: imported already

        page = self.page_widgets["绩效目标"]
        assert isinstance(page, GoalsPage)
        return page

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self._build_menus()
        self._build_toolbar()
        for name in self.page_widgets:
            self.navigation.addItem(name)
        self.navigation.setStyleSheet(
            "QListWidget { font-size: 11pt; } QListWidget::item { padding: 7px 12px; }"
        )
        self.navigation.setFixedWidth(
            self.fontMetrics().horizontalAdvance("抽查复核") * 11 // 8 + 48
        )
        self.navigation.setCurrentRow(0)  # its page is built with the first database
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self.menuBar().setEnabled(False)  # until a database is shown
        self.year_toolbar.setEnabled(False)
        self.read_only_banner.setStyleSheet(READ_ONLY_BANNER_STYLE)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 0, 0)
        outer.addWidget(self.read_only_banner)
        outer.addWidget(self.setup_banner)
        self.setup_banner.setup_requested.connect(self._on_setup_banner_setup_requested)
        self.setup_banner.hide()  # until the database says demo or blank
        layout = QHBoxLayout()
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.operator_label)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _setup_page(self, name: str, page: QWidget) -> None:
        """A page just built: its signals to the window, the database and year shown."""
        if name == "绩效目标":
            from app.ui.goals.page import GoalsPage  # built: imported already

            assert isinstance(page, GoalsPage)
            page.goal_table_requested.connect(self._on_goals_page_goal_table_requested)
            page.ex_ante_requested.connect(self._on_goals_page_ex_ante_requested)
        if name == "设置":
            from app.ui.settings.page import SettingsPage  # built: imported already

            assert isinstance(page, SettingsPage)
            page.restore_requested.connect(self.restore_from_backup)
            page.open_backup_requested.connect(self.open_backup_window)
            page.operator.operator_changed.connect(self.show_operator)
        hold_read_only(page)
        if self._database_shown:
            assert isinstance(page, CyclePage)
            page.set_database(self._db, self.year)

    def _build_menus(self) -> None:
        self.file_menu = FileMenu(self)
        self.forms_action = self.file_menu.forms_action
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.about_action = QAction("关于(&A)", self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = self.year_toolbar = QToolBar("年度")
        bar.setMovable(False)
        bar.setObjectName("year_toolbar")
        bar.addWidget(QLabel(" 年度： "))
        self.year_combo.setMinimumWidth(120)
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_current_index_changed)
        bar.addWidget(self.year_combo)
        bar.addSeparator()
        bar.addAction(self.forms_action)
        self.addToolBar(bar)  # at the top

    # -- state ---------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def _load_database(self) -> None:
        """Fill everything from the current database; select the latest year."""
        mode = "（只读）" if self._db.read_only else ""
        self._show_identity()
        if self.opened.writer is not None and self._db.path is not None:
            preferences.add_recent(self._db.path)
        self.show_operator()
        self.path_label.setText(f"数据库{mode}：{self._db.path or self._db.label}")
        self.read_only_banner.setText(self.opened.read_only_note or "只读：不能保存修改。")
        self.read_only_banner.setVisible(self._db.read_only)
        self.forms_action.setEnabled(not self._db.read_only)
        set_window_read_only(self, self._db.read_only)
        self._info = None
        self.changes.watch(self._db)
        self.after_first_paint(self._back_up_today)
        self._fill_years(keep=None)
        self._database_shown = True
        for page in self.cycle_pages:
            page.set_database(self._db, self.year)
        self._recount()

    @property
    def settled(self) -> bool:
        """The window has painted and run what waited for that (after_first_paint)."""
        return self._painted and not self._after_paint

    def after_first_paint(self, work: Callable[[], None]) -> None:
        """Run `work` on the GUI thread in the event-loop turn after the first paint (soon,
        if painted): what the first paint does not need waits, yet runs before the user can
        finish any write (each needs at least a click and then a dialog or an editor)."""
        self._after_paint.append(work)
        if self._painted:
            QTimer.singleShot(0, self, self._run_after_paint)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._run_after_paint)

    def _run_after_paint(self) -> None:
        while self._after_paint:
            self._after_paint.pop(0)()

    def _back_up_today(self) -> None:
        """The day's backup of a file just opened for writing (see app/ui/opening.py)."""
        from app.ui.opening import back_up_today

        if self._closed:
            return
        if back_up_today(self.opened) and self.page_widgets.is_built("设置"):
            settings = self.page_widgets["设置"]
            assert isinstance(settings, CyclePage)
            settings.mark_stale()  # its 备份 list shows the new file
        self.show_notices()

    def _show_identity(self) -> None:
        """Title and banner: which county, the demo marked, a blank database offered set-up."""
        from app.services.setup.county import DEMO_MARK, county_names
        from app.services.setup.initial import is_blank

        mode = "（只读）" if self._db.read_only else ""
        names = county_names(self._db)
        demo = DEMO_MARK if names.demo else ""
        county = f"{names.county} — " if names.named else ""
        self.setWindowTitle(f"{demo}{APP_NAME} — {county}{self._db.label}{mode}")
        self.setup_banner.show_for(names, is_blank(self._db), self._db.read_only)

    def _fill_years(self, keep: int | None) -> None:
        """List the database's years, selecting `keep` if it is one, else the latest."""
        from app.services.common.catalog import list_years

        years = list_years(self._db)
        self.year_combo.setPlaceholderText("尚无年度数据")
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
        from app.services.common.info import database_info

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
        from app.ui.opening import open_interactively

        if path.expanduser().resolve() == self._db.path:
            return True  # already open here (asking for its lock again would find our own)
        if not self.close_editors():
            return False
        opened = open_interactively(self, path, quit_label="取消")
        if opened is None:
            return False
        self.switch_to(opened)
        return True

    def switch_to(self, opened: OpenedFile) -> None:
        """Show `opened` (which this window now owns) instead of the current database."""
        from app.services.setup import operator
        from app.ui.setup.operator_prompt import choose_at_start

        old, self._opened = self.opened, opened
        stop_loads(self)  # no read may outlive the file it reads
        if self._owns:
            old.close()
        else:
            old.db.close()
        self._owns = True
        log.info("切换数据库：%s", opened.db.label)
        if operator.chosen():
            operator.start_working_as(opened.db, operator.chosen())  # offered there next time
        else:
            choose_at_start(self, opened.db)  # e.g. leaving the demo for the county's own file
        self._load_database()
        self.show_notices()

    def reload_database(self) -> None:
        """After the open database was set up in place: names, years and pages anew."""
        self._load_database()

    def show_operator(self) -> None:
        from app.services.setup import operator

        with self._db.session() as session:
            name = operator.actor(session)
        self.operator_label.setText(f"操作人员：{name}　")

    def show_notices(self) -> None:
        """Warnings from opening (backup failed, last session crashed), once."""
        opened = self.opened
        for text in opened.warnings:
            show_error(self, text)
        for title, text in opened.infos:
            show_info(self, title, text)
        opened.warnings.clear()
        opened.infos.clear()

    def restore_from_backup(self, backup_path: Path) -> bool:
        """Replace this database by a backup (already confirmed) and show the result."""
        from app.ui.opening import restore_in_place, restored_message

        if not self.close_editors():
            return False
        stop_loads(self)  # the file is closed and replaced
        try:
            result = restore_in_place(self.opened, backup_path)
        except UserError as exc:
            show_error(self, exc)
            return False
        finally:
            self._load_database()
        show_info(self, "已从备份恢复", restored_message(result))
        return True

    def open_backup_window(self, backup_path: Path) -> MainWindow | None:
        """Look at a backup in a second, read-only window."""
        from app.ui.opening import open_backup_file

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

    def close_editors(self) -> bool:
        """Close every open editing dialog, each asking about its unsaved changes; False
        when one stays open (取消, or saving failed)."""
        for editor in self.findChildren(EditingDialog):
            if editor.isVisible() and not editor.close():
                return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_editors():
            event.ignore()  # the user went back to an editor with unsaved changes
            return
        self._closed = True
        self.changes.stop()
        stop_loads(self)
        for window in self._backup_windows:
            window.close()
        if self._owns and self._opened is not None:
            self._opened.close()  # releases the writer lock
        super().closeEvent(event)

    # -- slots ---------------------------------------------------------------------------
    def _on_setup_banner_setup_requested(self) -> None:
        self.file_menu.new_county_database(this_file=self.setup_banner.sets_up_this_file)

    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row >= 0 and self._opened is not None:
            self.page_widgets.show_row(row)

    def _on_goals_page_goal_table_requested(self, code: str, department: bool) -> None:
        """打印绩效目标表 (goals page or goal editor): the 报告 page previews that table."""
        reports = self.page_widgets["报告"]
        self.navigation.setCurrentRow(self.pages.indexOf(reports))
        reports.show_goal_table(code, department)  # type: ignore[attr-defined]

    def _on_goals_page_ex_ante_requested(self, project_code: str) -> None:
        """转到事前评估 in a goal editor: that page, with the project selected."""
        page = self.page_widgets["事前评估"]
        self.navigation.setCurrentRow(self.pages.indexOf(page))  # shown: loads if stale
        page.select_project(project_code)  # type: ignore[attr-defined]
        self.activateWindow()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        """A year may exist now (roll forward, import): refill the list keeping the year on
        screen; the pages showing these kinds reload (now if on screen, else when shown)."""
        if kinds & {SETTINGS, DATABASE}:
            self._show_identity()  # county name, demo marker
        if kinds & {YEAR, DATABASE}:
            shown = self.year
            self._fill_years(keep=shown)
            if self.year != shown:  # the first year of an empty database
                for page in self.cycle_pages:
                    page.set_year(self.year)
        for page in self.cycle_pages:
            if page.shows & kinds:
                page.mark_stale()
        if kinds & {YEAR, DEPARTMENT, PROJECT, GOAL, DATABASE}:
            self._info = None
            self._recount()

    def _on_year_combo_current_index_changed(self, _index: int) -> None:
        for page in self.cycle_pages:
            page.set_year(self.year)
        self._show_counts()

    def import_forms(self) -> None:
        """文件 → 导入表格（纸质表样）: the board of printed forms for the year on screen."""
        from app.ui.forms.dialog import FormsImportDialog

        dialog = FormsImportDialog(self._db, self.year, self)
        dialog.exec()
        dialog.deleteLater()

    def _on_about_action_triggered(self) -> None:
        from app.ui.about import show_about

        show_about(self._db, self)
