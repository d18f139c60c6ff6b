"""操作日志 view: filters (object type, user, dates), the entries, and what each changed."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.common.audit_log import (
    DEFAULT_LIMIT,
    AuditRecord,
    FieldChange,
    audit_filter_choices,
    format_value,
    list_audit,
)
from app.storage.database import Database
from app.ui.widgets.row_table import Column, RowTableModel, fit_columns

AUDIT_COLUMNS: list[Column[AuditRecord]] = [
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S")),
    Column("操作人", lambda r: r.who),
    Column("操作", lambda r: r.action_label),
    Column(
        "对象",
        lambda r: f"{r.object_type_label}　{r.object_label}".strip(),
        tooltip=lambda r: r.object_label,
    ),
    Column("变化摘要", lambda r: r.summary, tooltip=True),
]
CHANGE_COLUMNS: list[Column[FieldChange]] = [
    Column("字段", lambda c: c.label),
    Column("修改前", lambda c: format_value(c.before), tooltip=lambda c: format_value(c.before)),
    Column("修改后", lambda c: format_value(c.after), tooltip=lambda c: format_value(c.after)),
]
COL_SUMMARY = 4
AUDIT_SAMPLES = [
    "2025-05-01 09:00:00",
    "张三（zhangsan）",
    "彻底删除",
    "项目　21900120250001 某某项目",
]
ALL = "（全部）"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class AuditLogView(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.object_combo = QComboBox()
        self.user_combo = QComboBox()
        self.date_check = QCheckBox("日期从")
        self.since_edit = QDateEdit()
        self.until_edit = QDateEdit()
        self.count_label = QLabel()
        self.model: RowTableModel[AuditRecord] = RowTableModel(AUDIT_COLUMNS, self)
        self.changes: RowTableModel[FieldChange] = RowTableModel(CHANGE_COLUMNS, self)
        self.table = QTableView()
        self.detail_title = QLabel("选择一条记录查看修改前后的内容。")
        self.detail_table = QTableView()
        self._build()

    def _build(self) -> None:
        today = date.today()
        for edit, day in ((self.since_edit, today - timedelta(days=30)), (self.until_edit, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(day))
            edit.setEnabled(False)
        self.object_combo.setMinimumContentsLength(8)
        self.user_combo.setMinimumContentsLength(10)
        filters = QHBoxLayout()
        for widget in (QLabel("对象："), self.object_combo, QLabel("操作人："), self.user_combo):
            filters.addWidget(widget)
        filters.addSpacing(12)
        for date_widget in (self.date_check, self.since_edit, QLabel("到"), self.until_edit):
            filters.addWidget(date_widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self._setup_table(self.table, self.model)
        fit_columns(self.table, AUDIT_SAMPLES, COL_SUMMARY)
        self._setup_table(self.detail_table, self.changes)
        self.detail_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.detail_table.setWordWrap(True)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.object_combo.currentIndexChanged.connect(self.refresh)
        self.user_combo.currentIndexChanged.connect(self.refresh)
        self.date_check.toggled.connect(self._on_date_check_toggled)
        self.since_edit.dateChanged.connect(self.refresh)
        self.until_edit.dateChanged.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    @staticmethod
    def _setup_table(table: QTableView, model: RowTableModel) -> None:
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)

    # -- data ------------------------------------------------------------------------------
    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        """Fill the filter choices from the database, keep what was chosen, then list."""
        choices = audit_filter_choices(self._db)
        self._refill(self.object_combo, [(ALL, None), *((lb, v) for v, lb in choices.object_types)])
        self._refill(self.user_combo, [(ALL, None), *((u, u) for u in choices.users)])
        self.refresh()

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
        chosen = combo.currentData()
        blocker = combo.blockSignals(True)
        try:
            combo.clear()
            for label, value in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        finally:
            combo.blockSignals(blocker)

    def refresh(self) -> None:
        dated = self.date_check.isChecked()
        records = list_audit(
            self._db,
            object_type=self.object_combo.currentData(),
            user=self.user_combo.currentData(),
            since=_pydate(self.since_edit.date()) if dated else None,
            until=_pydate(self.until_edit.date()) if dated else None,
        )
        self.model.set_rows(records)
        more = f"（只显示最近 {DEFAULT_LIMIT} 条）" if len(records) >= DEFAULT_LIMIT else ""
        self.count_label.setText(f"共 {len(records)} 条{more}")
        self._show_detail(None)

    def _show_detail(self, record: AuditRecord | None) -> None:
        if record is None:
            self.detail_title.setText("选择一条记录查看修改前后的内容。")
            self.changes.set_rows([])
            return
        self.detail_title.setText(
            f"{record.at:%Y-%m-%d %H:%M:%S}　{record.who}　{record.action_label}"
            f"{record.object_type_label}　{record.object_label}"
        )
        self.changes.set_rows(record.changes)
        self.detail_table.resizeRowsToContents()  # long texts (总体目标) wrap

    # -- slots -----------------------------------------------------------------------------
    def _on_date_check_toggled(self, checked: bool) -> None:
        self.since_edit.setEnabled(checked)
        self.until_edit.setEnabled(checked)
        self.refresh()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.row_at(current.row()) if current.isValid() else None)
