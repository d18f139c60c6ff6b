"""The main window: year selector, the yearly cycle on the left, one page per step."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app import APP_NAME
from app.domain.errors import UserError
from app.services.catalog import list_years
from app.services.info import DatabaseInfo, database_info
from app.storage.database import Database, open_database
from app.ui.goals.page import GoalsPage
from app.ui.widgets.messages import show_error
from app.ui.widgets.placeholder import PlaceholderPage

log = logging.getLogger(__name__)

# Steps of the year that have no page yet, and what each page will hold.
PLANNED_PAGES = (
    ("事前评估", "登记需要事前绩效评估的项目，录入评估意见、送审和审定金额。"),
    ("绩效监控", "按轮次（季度或月份）填报预算执行和指标完成情况，显示预警灯并记录监控结论。"),
    ("绩效自评", "汇总各单位年终自评得分和等级，检查自评表的完整性。"),
    ("抽查复核", "按股室抽取自评项目样本，逐项复核打分，出具审核意见。"),
    ("结果应用", "根据评价结果提出下一年度预算调整建议并跟踪落实。"),
    ("报告", "生成向人大、县政府报送的报告和公开材料（Word 和 PDF）。"),
    ("设置", "维护股室、单位、指标库和评分规则，设置操作人员姓名。"),
)
GOALS_PAGE_NAME = "绩效目标"
DB_FILE_FILTER = "数据库文件 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._info: DatabaseInfo | None = None
        self._closed = False
        self.year_combo = QComboBox()
        self.navigation = QListWidget()
        self.pages = QStackedWidget()
        self.goals_page = GoalsPage(db)
        self.path_label = QLabel()
        self.counts_label = QLabel()
        self._build()
        self.resize(QSize(1280, 800))
        self.setMinimumSize(QSize(960, 600))
        self._load_database()

    @property
    def database(self) -> Database:
        return self._db

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self._build_menus()
        self._build_toolbar()
        self.navigation.addItem(GOALS_PAGE_NAME)
        self.pages.addWidget(self.goals_page)
        for name, coming in PLANNED_PAGES:
            self.navigation.addItem(name)
            self.pages.addWidget(PlaceholderPage(name, coming))
        self.navigation.setStyleSheet(
            "QListWidget { font-size: 11pt; } QListWidget::item { padding: 7px 12px; }"
        )
        self.navigation.setFixedWidth(
            self.fontMetrics().horizontalAdvance("抽查复核") * 11 // 8 + 48
        )
        self.navigation.currentRowChanged.connect(self._on_navigation_current_row_changed)
        self.navigation.setCurrentRow(0)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
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
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    # -- state ---------------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def _load_database(self) -> None:
        """Fill everything from the current database; select the latest year."""
        self.setWindowTitle(f"{APP_NAME} — {self._db.path.name}")
        self.path_label.setText(f"数据库：{self._db.path}")
        self._info = None
        years = list_years(self._db)
        blocker = self.year_combo.blockSignals(True)
        try:
            self.year_combo.clear()
            for year in years:
                self.year_combo.addItem(f"{year} 年", year)
            self.year_combo.setCurrentIndex(len(years) - 1)
        finally:
            self.year_combo.blockSignals(blocker)
        self.goals_page.set_database(self._db, self.year)
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
        """Switch to another database file; on a UserError keep the current one."""
        try:
            new_db = open_database(path)
        except UserError as exc:
            show_error(self, exc)
            return False
        old, self._db = self._db, new_db
        old.close()
        log.info("切换数据库：%s", new_db.path)
        self._load_database()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        super().closeEvent(event)

    # -- slots ---------------------------------------------------------------------------
    def _on_navigation_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)

    def _on_year_combo_current_index_changed(self, _index: int) -> None:
        self.goals_page.set_year(self.year)
        self._show_counts()

    def _on_open_action_triggered(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self._db.path.parent), DB_FILE_FILTER
        )
        if name:
            self.open_database_file(Path(name))

    def _on_about_action_triggered(self) -> None:
        from app.ui.about import show_about

        show_about(self._db, self)
