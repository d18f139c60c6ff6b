"""设置 → 操作人员: this seat's name in review boxes and the audit trail, kept in the seat's
own preferences (never in the shared database: each seat signs as its own operator)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.services.common.settings import MAX_DISPLAY_NAME, operator_settings, set_display_name
from app.storage.database import Database
from app.ui import preferences
from app.ui.widgets.messages import show_error, show_info
from app.ui.widgets.writes import writes


class OperatorTab(QWidget):
    operator_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.name_edit = QLineEdit()
        self.os_user_label = QLabel()
        self.actor_label = QLabel()
        self.save_button = QPushButton("保存")
        writes(self.save_button)
        self._build()

    def _build(self) -> None:
        self.name_edit.setMaxLength(MAX_DISPLAY_NAME)
        self.name_edit.setPlaceholderText("例如：张三（预算绩效股）")
        self.name_edit.setMinimumWidth(280)
        row = QHBoxLayout()
        row.addWidget(self.name_edit)
        row.addWidget(self.save_button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("操作人员姓名：", row)
        form.addRow("计算机登录用户：", self.os_user_label)
        form.addRow("当前记录为：", self.actor_label)
        note = QLabel(
            "本机（本计算机用户）审核、退回、复核意见和操作日志中记录的操作人员，"
            "与启动时的选择相同，只保存在本机；多人共用一个数据库时各自署自己的名字。"
            "不填写时记为“未署名”。操作日志另外记录计算机登录用户名，便于核对。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addStretch(1)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.name_edit.returnPressed.connect(self._on_save_button_clicked)

    def set_database(self, db: Database) -> None:
        self._db = db

    def reload(self) -> None:
        settings = operator_settings(self._db)
        self.name_edit.setText(settings.display_name)
        self._show(settings.os_user, settings.actor)
        writable = not self._db.read_only
        self.name_edit.setEnabled(writable)
        self.save_button.setEnabled(writable)

    def _show(self, os_user: str, actor: str) -> None:
        self.os_user_label.setText(os_user)
        self.actor_label.setText(actor)

    def _on_save_button_clicked(self) -> None:
        try:
            settings = set_display_name(self._db, self.name_edit.text())
        except UserError as exc:
            show_error(self, exc)
            return
        preferences.remember_operator(settings.display_name)  # this seat signs so next time
        self.operator_changed.emit()
        self.name_edit.setText(settings.display_name)
        self._show(settings.os_user, settings.actor)
        show_info(self, "已保存", f"操作人员已设为“{settings.actor}”。")
