"""绩效监控 page: the year's rounds, the selected round's projects and departments as a
whole (部门整体, its own tab), and the dashboard.

Design decisions:
- Rows of a round (~1.6 s for 2,200 projects) and the dashboard (~1 s for a year of six
  rounds on the demo, a progress step per round so 取消 stops it at the next one)
  load in the background (widgets/background.py: progress and 取消 above the tabs, the
  page stays usable; a newer load supersedes an older one), and are cached per
  (year, month) and per year. A saved entry replaces its one row in the cache (the service
  returns it re-lit), so the list never reloads for an edit; opening or closing a round
  drops what it changes.
- The page loads lazily: a new database or year only marks it stale until it is shown.
- Dialogs open with open(), not exec(): the page reacts to their signals.
- 导出监控表 / 导入监控表 go through import_flow; the export takes the round shown and the
  单位 filter of the list (else every unit); a closed round disables import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError, ValidationFailed
from app.domain.progress import Progress
from app.domain.rules import RuleSet
from app.services.monitoring import (
    Dashboard,
    ProjectMonitoringRow,
    RoundSummary,
    close_round,
    dashboard,
    list_rounds,
    open_round,
    round_rows,
)
from app.services.monitoring.department import DepartmentMonitoringRow, department_round_rows
from app.storage.database import Database
from app.storage.kinds import (
    DEPARTMENT,
    GOAL,
    MONITORING_DEPARTMENT_ENTRY,
    MONITORING_ENTRY,
    MONITORING_ROUND,
    PROJECT,
    SECTION,
    SETTINGS,
)
from app.ui.monitoring.dashboard_view import DashboardView
from app.ui.monitoring.department_dialog import DepartmentDialog, open_department_dialog
from app.ui.monitoring.department_list import DepartmentListView
from app.ui.monitoring.entry_dialog import BANNER_STYLE, EntryDialog, open_entry_dialog
from app.ui.monitoring.round_dialogs import MissingReasonsDialog, OpenRoundDialog
from app.ui.monitoring.round_list import RoundListView
from app.ui.settings.active_rules import PageRules
from app.ui.widgets import import_flow, workbook_kinds
from app.ui.widgets.background import BackgroundLoader, LoadBar
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.tasks import run_task
from app.ui.widgets.writes import writes

if TYPE_CHECKING:  # the workbook services load openpyxl: only when a button is used
    from app.services.monitoring.workbook import ImportSummary

LIST_TAB, DEPARTMENT_TAB, DASHBOARD_TAB = 0, 1, 2


class MonitoringPage(QWidget):
    shows = frozenset(
        {SECTION, DEPARTMENT, PROJECT, GOAL, MONITORING_ROUND, MONITORING_ENTRY, SETTINGS}
        | {MONITORING_DEPARTMENT_ENTRY}
    )

    def __init__(
        self, db: Database, rules: RuleSet | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._rules = PageRules(rules)  # given rules: fixed (tests); else the database's
        self._year: int | None = None
        self._rounds: list[RoundSummary] = []
        self._rows: dict[tuple[int, int], list[ProjectMonitoringRow]] = {}
        self._departments: dict[tuple[int, int], list[DepartmentMonitoringRow]] = {}
        self._boards: dict[int, tuple[Dashboard, RuleSet]] = {}  # with the rules that lit it
        self._stale = True
        self._seen = -1  # the database's change_count when what is shown was read
        self._shown: tuple[int, int] | None = None  # the round whose rows are on screen
        self.load_bar = LoadBar()
        self.loader = BackgroundLoader(self, self.load_bar)
        self.round_combo = QComboBox()
        self.open_button = QPushButton("开启新一轮…")
        self.close_button = QPushButton("关闭本轮…")
        self.export_button = QPushButton("导出监控表…")
        self.import_button = QPushButton("导入监控表…")
        writes(self.open_button, self.close_button, self.import_button)
        self.banner = QLabel()
        self.list_view = RoundListView()
        self.department_view = DepartmentListView()
        self.dashboard_view = DashboardView()
        self.tabs = QTabWidget()
        self.open_dialog: OpenRoundDialog | None = None
        self.entry_dialog: EntryDialog | None = None
        self.department_dialog: DepartmentDialog | None = None
        self.missing_dialog: MissingReasonsDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._build()

    def _build(self) -> None:
        title = QLabel("绩效运行监控")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel("监控轮次："))
        sample = self.fontMetrics().horizontalAdvance("12月（已关闭）")
        self.round_combo.setMinimumWidth(sample + 48)
        self.round_combo.setPlaceholderText("尚未开启")
        self.round_combo.currentIndexChanged.connect(self._on_round_combo_current_index_changed)
        top.addWidget(self.round_combo)
        top.addWidget(self.open_button)
        top.addWidget(self.close_button)
        top.addSpacing(16)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        self.list_view.project_activated.connect(self._on_list_view_project_activated)
        self.department_view.department_activated.connect(self.open_department)
        self.tabs.addTab(self.list_view, "项目列表")
        self.tabs.addTab(self.department_view, "部门整体")
        self.tabs.addTab(self.dashboard_view, "仪表盘")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.load_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

    @property
    def rules(self) -> RuleSet:
        """The year's rule set (raises UserError when the stored rules are wrong)."""
        return self._rules.get(self._db, self._year)

    # -- page protocol ---------------------------------------------------------------------
    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self._rows.clear()
        self._departments.clear()
        self._boards.clear()
        self.set_year(year)

    def set_year(self, year: int | None) -> None:
        self._year = year
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self, self.refresh)

    def mark_stale(self) -> None:
        if self._db.change_count == self._seen:
            return  # read, or written and shown here, after the last commit
        self._rows.clear()
        self._boards.clear()
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self, self.refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._rules.changed(
            self._db, self._year
        ):  # chosen or edited in 设置: light the lamps again
            self._rows.clear()
            self._departments.clear()
            self._boards.clear()
            self._stale = True
        if self._stale:
            QTimer.singleShot(0, self, self.refresh)

    # -- rounds ----------------------------------------------------------------------------
    @property
    def current_round(self) -> RoundSummary | None:
        month = self.round_combo.currentData()
        return next((r for r in self._rounds if r.month == month), None)

    def refresh(self, month: int | None = None) -> None:
        """Re-read the year's rounds and show `month` (default: the one shown, else latest)."""
        self._stale = False
        self._seen = self._db.change_count
        keep = month if month is not None else self.round_combo.currentData()
        try:
            self._rounds = list_rounds(self._db, self._year) if self._year is not None else []
        except UserError as exc:
            self._rounds = []
            show_error(self, exc)
        blocker = self.round_combo.blockSignals(True)
        try:
            self.round_combo.clear()
            for r in self._rounds:
                self.round_combo.addItem(f"{r.month}月（{r.status_label}）", r.month)
            index = self.round_combo.findData(keep) if keep is not None else -1
            self.round_combo.setCurrentIndex(index if index >= 0 else len(self._rounds) - 1)
        finally:
            self.round_combo.blockSignals(blocker)
        self._show_round()
        if self.tabs.currentIndex() == DASHBOARD_TAB:
            self._show_dashboard()

    def _show_round(self) -> None:
        rnd = self.current_round
        months = set(self.rules.monitoring.months) - {r.month for r in self._rounds}
        self.open_button.setEnabled(self._year is not None and bool(months))
        self.open_button.setToolTip("" if months else "规则集中的监控月份都已开启")
        self.close_button.setEnabled(rnd is not None and rnd.status == "open")
        closed = rnd is not None and rnd.status == "closed"
        self._enable_excel(rnd, closed)
        if closed and rnd is not None:
            when = f"于 {rnd.closed_at:%Y-%m-%d} " if rnd.closed_at else ""
            self.banner.setText(
                f"{rnd.year}年{rnd.month}月监控已{when}关闭，数据只读（双击项目可查看）。"
            )
        self.banner.setVisible(closed)
        self._show_rows(rnd)

    def _enable_excel(self, rnd: RoundSummary | None, closed: bool) -> None:
        none = "请先开启或选择一个监控轮次"
        self.export_button.setEnabled(rnd is not None)
        self.export_button.setToolTip(
            none if rnd is None else "导出本轮监控表（列表按单位筛选时只导出该单位）"
        )
        self.import_button.setEnabled(rnd is not None and not closed)
        if rnd is None:
            self.import_button.setToolTip(none)
        elif closed:
            self.import_button.setToolTip("本轮监控已关闭，数据只读，不能再导入")
        else:
            self.import_button.setToolTip(
                "导入各单位填报的监控表（先检查全部内容，有错误则不导入）"
            )

    def _show_rows(self, rnd: RoundSummary | None) -> None:
        """The round's projects and departments: from the cache, else read in the
        background (what another round showed is cleared meanwhile)."""
        key = (rnd.year, rnd.month) if rnd else None
        if key != self._shown:
            self._shown = None
            self.list_view.set_rows([])
            self.department_view.set_rows([])
        if rnd is None or key is None:
            return
        if key in self._rows and key in self._departments:
            if self._shown != key:
                self._put_rows(key)
            return
        db, rules = self._db, self.rules
        projects, departments = self._rows.get(key), self._departments.get(key)

        def load(progress: Progress) -> tuple[list, list]:  # worker thread
            progress.step(0, 2, f"正在读取 {rnd.month} 月监控数据并计算预警灯…")
            rows = projects if projects is not None else round_rows(db, *key, rules)
            progress.step(1, 2, f"正在读取 {rnd.month} 月部门整体监控数据…")
            whole = (
                departments if departments is not None else department_round_rows(db, *key, rules)
            )
            return rows, whole

        def loaded(result: tuple[list, list]) -> None:
            self._rows[key], self._departments[key] = result
            if self.current_round == rnd:
                self._put_rows(key)

        label = f"正在读取 {rnd.month} 月监控数据…"
        self.loader.start(load, loaded, label=label)

    def _put_rows(self, key: tuple[int, int]) -> None:
        self.list_view.set_rows(self._rows[key])
        self.department_view.set_rows(self._departments[key])
        self._shown = key

    def _on_round_combo_current_index_changed(self, _index: int) -> None:
        self._show_round()

    # -- opening a round -------------------------------------------------------------------
    def _on_open_button_clicked(self) -> None:
        if self._year is None:
            return
        existing = [r.month for r in self._rounds]
        self.open_dialog = OpenRoundDialog(self._year, self.rules.monitoring.months, existing, self)
        self.open_dialog.month_chosen.connect(self.open_month)
        self.open_dialog.open()

    def open_month(self, month: int) -> None:
        year, rules = self._year, self.rules
        if year is None:
            return
        try:
            summary = run_task(
                self,
                "开启监控轮次",
                lambda _p: open_round(self._db, year, month, rules),
                label=f"正在开启 {year}年{month}月监控…",
            )
        except UserError as exc:
            show_error(self, exc)
            return
        self._boards.pop(year, None)
        source = summary.carried_from_month
        carried = f"数据从 {source} 月结转。" if source else "本年度第一轮，数据从空白开始。"
        show_info(
            self,
            "已开启监控轮次",
            f"已开启 {year}年{month}月监控，共 {summary.project_count} 个项目、"
            f"{summary.department_count} 个部门整体。{carried}",
        )
        self.refresh(month)

    # -- Excel -----------------------------------------------------------------------------
    def excel_scope(self) -> workbook_kinds.Scope:
        """The 单位 chosen in the list's filter, else every unit."""
        combo = self.list_view.department_combo
        code = combo.currentData()
        if code is None:
            return workbook_kinds.Scope()
        return workbook_kinds.Scope(code, combo.currentText().rsplit("（", 1)[0])

    def _on_export_button_clicked(self) -> None:
        self.export_round()

    def export_round(self) -> object:
        rnd = self.current_round
        if rnd is None:
            return None
        scope = self.excel_scope()
        job = workbook_kinds.monitoring_export(self._db, self.rules, rnd.year, rnd.month, scope)
        return import_flow.run_export(self, job)

    def _on_import_button_clicked(self) -> None:
        self.import_round()

    def import_round(self) -> object:
        kind = workbook_kinds.monitoring_import(self._db, self.rules)
        return import_flow.run_import(self, kind, self._on_round_imported)

    def _on_round_imported(self, summary: ImportSummary) -> None:
        year, month = summary.year, summary.month
        self._rows.pop((year, month), None)
        self._departments.pop((year, month), None)
        self._boards.pop(year, None)
        self.refresh(month if year == self._year else None)

    # -- closing a round -------------------------------------------------------------------
    def _on_close_button_clicked(self) -> None:
        rnd = self.current_round
        if rnd is None:
            return
        self.confirm_box = QMessageBox(
            QMessageBox.Icon.Question,
            "关闭本轮监控",
            f"关闭后 {rnd.year}年{rnd.month}月监控的数据将不能再修改。\n"
            "预算执行和指标为红灯、黄灯的，须已填写偏差原因。确定关闭吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        self.confirm_box.button(QMessageBox.StandardButton.Yes).setText("关闭本轮")
        self.confirm_box.button(QMessageBox.StandardButton.No).setText("取消")
        self.confirm_box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm_box.accepted.connect(self.close_current_round)
        self.confirm_box.open()

    def close_current_round(self) -> None:
        rnd, rules = self.current_round, self.rules
        if rnd is None:
            return
        try:
            run_task(
                self,
                "关闭监控轮次",
                lambda _p: close_round(self._db, rnd.year, rnd.month, rules),
                label="正在检查偏差原因并关闭本轮…",
            )
        except ValidationFailed as exc:
            self._show_missing(rnd, exc)
            return
        except UserError as exc:
            show_error(self, exc)
            return
        if self.missing_dialog is not None:
            self.missing_dialog.close()
        self._boards.pop(rnd.year, None)
        show_info(self, "已关闭监控轮次", f"{rnd.year}年{rnd.month}月监控已关闭，数据转为只读。")
        self.refresh(rnd.month)

    def _show_missing(self, rnd: RoundSummary, exc: ValidationFailed) -> None:
        if self.missing_dialog is None:
            self.missing_dialog = MissingReasonsDialog(self)
            self.missing_dialog.project_chosen.connect(self.focus_project)
        self.missing_dialog.set_problems(rnd.year, rnd.month, exc.problems)
        self.missing_dialog.show()

    def _refresh_missing(self) -> None:
        """After a save, list what still blocks closing (from the re-lit cached rows)."""
        rnd = self.current_round
        dialog = self.missing_dialog
        if rnd is None or dialog is None or not dialog.isVisible():
            return
        key = (rnd.year, rnd.month)
        projects, departments = self._rows.get(key, []), self._departments.get(key, [])
        problems = [p for r in projects for p in r.missing_reasons if p.blocking]
        problems += [p for r in departments for p in r.missing_reasons if p.blocking]
        dialog.set_problems(rnd.year, rnd.month, problems)

    # -- entering figures ------------------------------------------------------------------
    def focus_project(self, code: str) -> None:
        """Select a project of the round shown and open its form at the first missing cell
        (a department code opens the department's form on the 部门整体 tab)."""
        rnd = self.current_round
        rows = self._rows.get((rnd.year, rnd.month), []) if rnd else []
        row = next((r for r in rows if r.project_code == code), None)
        if row is None:
            departments = self._departments.get((rnd.year, rnd.month), []) if rnd else []
            found = next((d for d in departments if d.department_code == code), None)
            if found is not None:
                self.tabs.setCurrentIndex(DEPARTMENT_TAB)
                self.open_department(found)
            return
        self.tabs.setCurrentIndex(LIST_TAB)
        self.list_view.select_entry(row.entry_id)
        dialog = self.open_entry(row)
        if dialog is not None:
            dialog.focus_first_required()

    def open_entry(self, row: ProjectMonitoringRow) -> EntryDialog | None:
        if self._year is None:
            return None
        self.entry_dialog = open_entry_dialog(self, self._db, self.rules, row.entry_id, self._year)
        if self.entry_dialog is not None:
            self.entry_dialog.entry_saved.connect(self._on_entry_dialog_entry_saved)
        return self.entry_dialog

    def _on_list_view_project_activated(self, row: ProjectMonitoringRow) -> None:
        self.open_entry(row)

    def _on_entry_dialog_entry_saved(self, row: ProjectMonitoringRow) -> None:
        rnd = self.current_round
        if rnd is None:
            return
        key = (rnd.year, rnd.month)
        if key in self._rows:
            self._rows[key] = [row if r.entry_id == row.entry_id else r for r in self._rows[key]]
        self._boards.pop(rnd.year, None)
        self.list_view.replace_row(row)
        self._refresh_missing()
        self._seen = self._db.change_count  # the saved entry is on screen

    def open_department(self, row: DepartmentMonitoringRow) -> DepartmentDialog | None:
        if self._year is None:
            return None
        dialog = open_department_dialog(self, self._db, self.rules, row.entry_id, self._year)
        self.department_dialog = dialog
        if dialog is not None:
            dialog.entry_saved.connect(self._on_department_saved)
        return dialog

    def _on_department_saved(self, row: DepartmentMonitoringRow) -> None:
        rnd = self.current_round
        if rnd is None:
            return
        key = (rnd.year, rnd.month)
        if key in self._departments:
            self._departments[key] = [
                row if r.entry_id == row.entry_id else r for r in self._departments[key]
            ]
        self.department_view.replace_row(row)
        self._refresh_missing()

    # -- dashboard -------------------------------------------------------------------------
    def _on_tabs_current_changed(self, index: int) -> None:
        if index == DASHBOARD_TAB:
            QTimer.singleShot(0, self, self._show_dashboard)
        elif self._shown is None and not self._stale:  # its load gave way to the dashboard's
            self._show_rows(self.current_round)

    def _show_dashboard(self) -> None:
        year = self._year
        if year is None or not self._rounds:
            self.dashboard_view.clear()
            return
        if year in self._boards:
            self.dashboard_view.set_data(*self._boards[year])
            return
        db, rules = self._db, self.rules

        def loaded(board: Dashboard) -> None:
            self._boards[year] = (board, rules)
            if self._year == year and self.tabs.currentIndex() == DASHBOARD_TAB:
                self.dashboard_view.set_data(board, rules)

        self.loader.start(
            lambda progress: dashboard(db, year, rules, progress),
            loaded,
            label="正在汇总各轮监控数据…",
        )
