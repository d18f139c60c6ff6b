"""One 整改 item: the required action, the deadline, the unit's reply and the status.

Closing with unsaved changes (关闭, Esc, the window's X) asks 保存 / 不保存 / 取消, and a save
refused because another seat saved first offers both versions field by field
(EditingDialog); a failed save keeps the dialog open with the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import StaleRecordError, UserError
from app.domain.rectification import STORED, Status
from app.services.rectification import ItemEdit, LedgerRow, load_item, update_item
from app.storage.database import Database
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.messages import show_error
from app.ui.widgets.writes import writes

# The fields the form edits, as the conflict view names them (keys as on ItemEdit).
CONFLICT_FIELDS = {
    "action": "整改要求", "deadline": "整改期限", "status": "状态", "reply": "单位反馈",
}  # fmt: skip


class RectificationDialog(EditingDialog):
    unsaved_question = "整改事项有未保存的修改，关闭前保存吗？"
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
        self.action_edit = QPlainTextEdit()
        self.deadline_edit = QDateEdit()
        self.status_combo = QComboBox()
        self.reply_edit = QPlainTextEdit()
        self.state_label = QLabel()
        self.save_button = QPushButton("保存")
        self.close_button = QPushButton("关闭")
        writes(self.save_button)
        for status in STORED:
            self.status_combo.addItem(status.value, status)
        self._fill(row)
        self._build()
        self._dirty = False
        for signal in (
            self.action_edit.textChanged, self.deadline_edit.dateChanged,
            self.status_combo.currentIndexChanged, self.reply_edit.textChanged,
        ):  # fmt: skip
            signal.connect(self._on_form_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)

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

    def _fill(self, row: LedgerRow) -> None:
        self.action_edit.setPlainText(row.action)
        self.deadline_edit.setDate(QDate(row.deadline.year, row.deadline.month, row.deadline.day))
        self.status_combo.setCurrentIndex(self.status_combo.findData(Status(row.stored_status)))
        self.reply_edit.setPlainText(row.reply)

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
        except StaleRecordError as exc:  # another seat saved first: choose, then save again
            return self.resolve_conflict(exc) and self.save()
        except UserError as exc:
            show_error(self, exc)
            return False
        self._dirty = False
        self.state_label.setText(f"已保存，状态“{self.row.status}”")
        self.item_saved.emit(self.row.id)
        return True

    # -- closing and conflicts (EditingDialog) ------------------------------------------------
    def is_dirty(self) -> bool:
        return self._dirty

    def save_changes(self) -> bool:
        return self.save()

    def conflict_labels(self) -> dict[str, str]:
        return CONFLICT_FIELDS

    def form_values(self) -> dict[str, Any]:
        edit = self.edit()
        return {key: getattr(edit, key) for key in CONFLICT_FIELDS}

    def stored_values(self) -> tuple[dict[str, Any], int]:
        stored = load_item(self._db, self.row.id, self._today())
        self._stored = stored
        values = {"action": stored.action, "deadline": stored.deadline, "reply": stored.reply}
        return values | {"status": Status(stored.stored_status)}, stored.version

    def take_values(self, values: dict[str, Any], version: int) -> None:
        self.row = replace(self._stored, version=version)
        shown = {key: values[key] for key in ("action", "deadline", "reply")}
        self._fill(replace(self.row, stored_status=values["status"].value, **shown))
        self._on_form_changed()  # chosen, not saved yet

    def shown_value(self, key: str, value: Any) -> str:
        return value.value if isinstance(value, Status) else super().shown_value(key, value)

    def _on_form_changed(self, *_args: object) -> None:
        self._dirty = True
        self.state_label.setText("有未保存的修改")

    def _on_save_button_clicked(self) -> None:
        if self.save():
            self.accept()
