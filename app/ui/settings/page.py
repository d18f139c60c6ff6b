"""设置 page: one tab per concern; each tab loads when first shown after a change."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.storage.database import Database
from app.storage.kinds import ALL_KINDS
from app.ui.auditlog.view import AuditLogView
from app.ui.settings.backups_tab import BackupsTab
from app.ui.settings.basics_tab import BasicsTab
from app.ui.settings.operator_tab import OperatorTab
from app.ui.settings.recycle_tab import RecycleBinTab
from app.ui.settings.rules_tab import RulesTab
from app.ui.settings.units_tab import UnitsTab


class SettingsPage(QWidget):
    shows = ALL_KINDS  # the 操作日志 lists every change; the 回收站 projects and goals
    restore_requested = Signal(object)  # Path of a backup the user confirmed restoring
    open_backup_requested = Signal(object)  # Path of a backup to look at read-only

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.basics = BasicsTab(db)
        self.units = UnitsTab(db)
        self.backups = BackupsTab(db)
        self.operator = OperatorTab(db)
        self.rules = RulesTab(db)
        self.recycle_bin = RecycleBinTab(db)
        self.audit_log = AuditLogView(db)
        self.tabs = QTabWidget()
        self._stale: set[QWidget] = set()
        self._build()

    def _tabs(self) -> list[tuple[QWidget, str]]:
        return [
            (self.backups, "备份"),  # first: the tab a restore or a backup question opens
            (self.basics, "基础信息"),
            (self.units, "预算单位"),
            (self.operator, "操作人员"),
            (self.rules, "规则集"),
            (self.recycle_bin, "回收站"),
            (self.audit_log, "操作日志"),
        ]

    def _build(self) -> None:
        title = QLabel("设置")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        for tab, name in self._tabs():
            self.tabs.addTab(tab, name)
        self._stale = {tab for tab, _name in self._tabs()}
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.backups.restore_requested.connect(self.restore_requested)
        self.backups.open_backup_requested.connect(self.open_backup_requested)

    # -- the page protocol -----------------------------------------------------------------
    def set_database(self, db: Database, year: int | None) -> None:
        self._db = db
        self.rules.set_year(year)
        for tab, _name in self._tabs():
            tab.set_database(db)  # type: ignore[attr-defined]
        self._stale = {tab for tab, _name in self._tabs()}
        self._load_current()

    def set_year(self, year: int | None) -> None:
        """The rule set tab opens on the main window's year; the rest is not per year."""
        self.rules.set_year(year)
        self._stale.add(self.rules)

    def show_tab(self, name: str) -> None:
        index = next(i for i, (_tab, n) in enumerate(self._tabs()) if n == name)
        self.tabs.setCurrentIndex(index)

    def refresh_current(self) -> None:
        """Reload the tab on screen (after the data changed elsewhere)."""
        self._stale.add(self.tabs.currentWidget())
        self._load_current()

    def mark_stale(self) -> None:
        self._stale = {tab for tab, _name in self._tabs()}
        self._load_current()

    # -- lazy loading ----------------------------------------------------------------------
    def _load_current(self) -> None:
        tab = self.tabs.currentWidget()
        if not self.isVisible() or tab not in self._stale:
            return
        self._stale.discard(tab)
        tab.reload()  # type: ignore[attr-defined]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Whatever happened on other pages (deletions, reviews) may show up here.
        self._stale = {tab for tab, _name in self._tabs()}
        self._load_current()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._load_current()
