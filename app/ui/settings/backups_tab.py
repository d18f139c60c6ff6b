"""设置 → 备份: the list of backups, backing up now or to a file, restoring, and rotation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.common.backups import (
    BackupInfo,
    RotationPolicy,
    backup_to_file,
    create_backup,
    list_backups,
)
from app.services.common.settings import backup_policy, set_backup_policy
from app.storage.database import Database, backups_dir_for
from app.ui.widgets.choice import confirm
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.row_table import RIGHT, Column, RowTableModel, fit_columns
from app.ui.widgets.writes import writes

BACKUP_FILTER = "数据库备份 (*.sqlite3);;所有文件 (*)"
POLICY_FIELDS = (
    ("keep_last", "保留最近的自动备份", "份"),
    ("daily", "另外按天保留", "天"),
    ("weekly", "按周保留", "周"),
    ("monthly", "按月保留", "个月"),
)


def format_size(size_bytes: int) -> str:
    if size_bytes < 1024 * 1024:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"


def format_counts(backup: BackupInfo) -> str:
    if backup.problem:
        return f"无法读取：{backup.problem}"
    parts = [f"{y.year}年 项目{y.projects}个、目标{y.goals}个" for y in backup.years]
    return "；".join(parts) or "无年度数据"


BACKUP_COLUMNS: list[Column[BackupInfo]] = [
    Column("备份时间", lambda b: b.created_at.strftime("%Y-%m-%d %H:%M:%S")),
    Column("原因", lambda b: b.reason_label + ("" if b.automatic else "（不自动清理）")),
    Column("大小", lambda b: format_size(b.size_bytes), align=RIGHT),
    Column("各年度数据", format_counts, tooltip=lambda b: str(b.path)),
]


BACKUP_SAMPLES = ["2025-05-01 09:00:00", "清空回收站前（不自动清理）", "1024.0 MB"]


class BackupsTab(QWidget):
    restore_requested = Signal(object)  # Path of the backup, after the user confirmed
    open_backup_requested = Signal(object)  # Path of a backup to look at (read-only)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model: RowTableModel[BackupInfo] = RowTableModel(BACKUP_COLUMNS, self)
        self.table = QTableView()
        self.folder_label = QLabel()
        self.backup_now_button = QPushButton("立即备份")
        self.backup_to_file_button = QPushButton("备份到文件…")
        self.restore_button = QPushButton("从备份恢复…")
        self.open_button = QPushButton("打开备份（只读）…")
        self.policy_spins = {name: QSpinBox() for name, _label, _unit in POLICY_FIELDS}
        self.save_policy_button = QPushButton("保存保留规则")
        writes(self.restore_button, self.save_policy_button)
        self._build()

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        fit_columns(self.table, BACKUP_SAMPLES, 3)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (
            self.backup_now_button,
            self.backup_to_file_button,
            self.restore_button,
            self.open_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._policy_box())

        self.backup_now_button.clicked.connect(self._on_backup_now_button_clicked)
        self.backup_to_file_button.clicked.connect(self._on_backup_to_file_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.save_policy_button.clicked.connect(self._on_save_policy_button_clicked)

    def _policy_box(self) -> QGroupBox:
        box = QGroupBox("自动备份保留规则（手动备份不会被自动清理）")
        form = QFormLayout()
        for name, label, unit in POLICY_FIELDS:
            spin = self.policy_spins[name]
            spin.setRange(0, 999)
            spin.setSuffix(f" {unit}")
            spin.setMinimumWidth(100)
            form.addRow(f"{label}：", spin)
        row = QHBoxLayout(box)
        row.addLayout(form)
        note = QLabel(
            "程序每天第一次打开数据库时自动备份；导入、批量删除、清空回收站和升级前也会备份。"
            "超出保留规则的自动备份会被删除，最新的一份总会保留。"
        )
        note.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(note)
        side.addStretch(1)
        side.addWidget(self.save_policy_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addSpacing(24)
        row.addLayout(side, 1)
        return box

    # -- data ------------------------------------------------------------------------------
    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        backups = list_backups(self._db)
        self.model.set_rows(backups)
        folder = backups_dir_for(self._db.target)
        self.folder_label.setText(f"备份文件夹：{folder}　（共 {len(backups)} 份）")
        policy = backup_policy(self._db)
        for name, spin in self.policy_spins.items():
            spin.setValue(getattr(policy, name))
        writable = not self._db.read_only
        for widget in (self.restore_button, self.save_policy_button, *self.policy_spins.values()):
            widget.setEnabled(writable)

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _chosen_backup_path(self, title: str) -> Path | None:
        """The selected backup, else one the user picks from a file dialog."""
        selected = self.selected_backup()
        if selected is not None:
            return selected.path
        folder = str(backups_dir_for(self._db.target))
        name, _ = QFileDialog.getOpenFileName(self, title, folder, BACKUP_FILTER)
        return Path(name) if name else None

    # -- slots -----------------------------------------------------------------------------
    def _on_backup_now_button_clicked(self) -> None:
        try:
            info = create_backup(self._db)
        except UserError as exc:
            show_error(self, exc)
            return
        self.reload()
        show_info(
            self, "备份完成", f"已创建备份：{info.path.name}（{format_size(info.size_bytes)}）"
        )

    def _on_backup_to_file_button_clicked(self) -> None:
        suggested = f"{self._db.backup_stem}-备份-{datetime.now():%Y%m%d-%H%M}.sqlite3"
        name, _ = QFileDialog.getSaveFileName(
            self, "备份到文件", str(Path.home() / suggested), BACKUP_FILTER
        )
        if not name:
            return
        try:
            path = backup_to_file(self._db, Path(name))
        except UserError as exc:
            show_error(self, exc)
            return
        show_info(self, "备份完成", f"已备份到：{path}")

    def _on_restore_button_clicked(self) -> None:
        path = self._chosen_backup_path("选择要恢复的备份")
        if path is None:
            return
        if confirm(
            self,
            "从备份恢复",
            f"用备份“{path.name}”替换当前数据库？",
            "恢复",
            "恢复前会先把当前数据另存为一份备份（“恢复备份前”），需要时可以再恢复回来。"
            "该备份之后所做的修改将不在恢复后的数据库中。",
        ):
            self.restore_requested.emit(path)

    def _on_open_button_clicked(self) -> None:
        path = self._chosen_backup_path("选择要查看的备份")
        if path is not None:
            self.open_backup_requested.emit(path)

    def _on_save_policy_button_clicked(self) -> None:
        policy = RotationPolicy(**{n: s.value() for n, s in self.policy_spins.items()})
        try:
            set_backup_policy(self._db, policy)
        except UserError as exc:
            show_error(self, exc)
            return
        show_info(self, "已保存", "自动备份保留规则已保存，下次自动备份时生效。")
