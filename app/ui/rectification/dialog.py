"""One 整改 item: the required action, the deadline, the unit's reply and the status.

Closing with unsaved changes (关闭, Esc, the window's X) asks 保存 or 不保存; a failed save
keeps the dialog open with the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.rectification import STORED, Status
from app.services.rectification import ItemEdit, LedgerRow, update_item
from app.storage.database import Database
from app.ui.widgets.confirm import ask
from app.ui.widgets.messages import show_error
from app.ui.widgets.writes import writes


class RectificationDialog(QDialog):
    item_saved = Signal(int)

    def __init__(
        self,
        db: Database,
        row: LedgerRow,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self.row, self._today = db, row, today
        self.setWindowTitle(f"整改事项：{row.subject}")
        self.finding_label = QLabel(f"{row.source}｜{row.department}\n{row.finding}")
        self.action_edit = QPlainTextEdit(row.action)
        self.deadline_edit = QDateEdit(
            QDate(row.deadline.year, row.deadline.month, row.deadline.day)
        )
        self.status_combo = QComboBox()
        self.reply_edit = QPlainTextEdit(row.reply)
        self.state_label = QLabel()
        self.save_button = QPushButton("保存")
        self.close_button = QPushButton("关闭")
        writes(self.save_button)
        for status in STORED:
            self.status_combo.addItem(status.value, status)
        self.status_combo.setCurrentIndex(self.status_combo.findData(Status(row.stored_status)))
        self._build()
        self._dirty = False
        for signal in (
            self.action_edit.textChanged, self.deadline_edit.dateChanged,
            self.status_combo.currentIndexChanged, self.reply_edit.textChanged,
        ):  # fmt: skip
            signal.connect(self._on_form_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.close)

    def _build(self) -> None:
        self.resize(640, 460)
        self.finding_label.setWordWrap(True)
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        self.reply_edit.setPlaceholderText("单位报送的整改情况；标记为已整改前须填写")
        form = QFormLayout()
        form.addRow("发现的问题：", self.finding_label)
        form.addRow("整改要求：", self.action_edit)
        form.addRow("整改期限：", self.deadline_edit)
        form.addRow("状态：", self.status_combo)
        form.addRow("单位反馈：", self.reply_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def edit(self) -> ItemEdit:
        deadline = self.deadline_edit.date().toPython()
        assert isinstance(deadline, date)
        return ItemEdit(
            self.action_edit.toPlainText(),
            deadline,
            Status(self.status_combo.currentData()),
            self.reply_edit.toPlainText(),
        )

    def save(self) -> bool:
        try:
            self.row = update_item(
                self._db, self.row.id, self.edit(), self._today(), self.row.version
            )
        except UserError as exc:
            show_error(self, exc)
            return False
        self._dirty = False
        self.state_label.setText(f"已保存，状态“{self.row.status}”")
        self.item_saved.emit(self.row.id)
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)  # QDialog's goes through reject(): nothing is asked twice

    def reject(self) -> None:
        if self._may_close():  # Esc asks about unsaved changes too
            super().reject()

    def _may_close(self) -> bool:
        """Ask 保存 / 不保存 when there are changes; False when saving failed (stay open)."""
        if not self._dirty:
            return True
        if ask(self, "保存修改", "整改事项有未保存的修改，关闭前保存吗？", "保存", "不保存"):
            return self.save()
        self._dirty = False  # discarded
        return True

    def _on_form_changed(self, *_args: object) -> None:
        self._dirty = True
        self.state_label.setText("有未保存的修改")

    def _on_save_button_clicked(self) -> None:
        if self.save():
            self.accept()
