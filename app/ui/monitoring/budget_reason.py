"""The budget lamp's 偏差原因 on the entry form: 类别, 原因 and 纠偏措施 in one row.

A red or yellow budget lamp makes 类别 and 原因 required before the round can close, the
same rule as an indicator's. Required and empty fields say so in words ("必填", red on a
tinted background), not only by colour, like the indicator grid's cells.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.enums import DeviationCategory
from app.ui.monitoring.indicator_table import REQUIRED_TEXT

# Field names as the domain's missing-reason problems name them (Problem.column), and as the
# services name them for the budget lamp (views.BUDGET_COLUMNS).
CATEGORY, REASON, ACTION = "偏差原因类别", "偏差原因", "纠偏措施"
FIELD_OF = {
    CATEGORY: CATEGORY,
    REASON: REASON,
    ACTION: ACTION,
    "预算偏差原因类别": CATEGORY,
    "预算偏差原因": REASON,
    "预算纠偏措施": ACTION,
}
BLANK_CATEGORY = "（未选择）"
REQUIRED_STYLE = "background: #fbd3d0; color: #c62828;"


class BudgetReasonBox(QWidget):
    """预算执行偏差原因类别 / 偏差原因 / 纠偏措施 of one project."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category_combo = QComboBox()
        self.category_combo.addItems([BLANK_CATEGORY, *(c.value for c in DeviationCategory)])
        self.reason_edit = QLineEdit()
        self.action_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("预算执行滞后的原因")
        self.action_edit.setPlaceholderText("加快执行的措施")
        self._required: set[str] = set()
        # The caption is the owner's to place (in its form's label column), not in this row.
        self.title = QLabel("预算偏差原因：")
        self.title.setToolTip("预算执行为红灯、黄灯时，关闭本轮监控前必须选择类别并填写原因。")
        self.title.setBuddy(self.category_combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.category_combo)
        layout.addWidget(QLabel("原因："))
        layout.addWidget(self.reason_edit, 3)
        layout.addWidget(QLabel("纠偏措施："))
        layout.addWidget(self.action_edit, 2)
        self.category_combo.currentIndexChanged.connect(self._on_edited)
        self.reason_edit.textChanged.connect(self._on_edited)
        self.action_edit.textChanged.connect(self._on_edited)

    def set_values(self, category: str, reason: str, action: str) -> None:
        """Show stored values without announcing a change."""
        for widget in (self.category_combo, self.reason_edit, self.action_edit):
            widget.blockSignals(True)
        position = self.category_combo.findText(category) if category else 0
        self.category_combo.setCurrentIndex(max(position, 0))
        self.reason_edit.setText(reason)
        self.action_edit.setText(action)
        for widget in (self.category_combo, self.reason_edit, self.action_edit):
            widget.blockSignals(False)
        self._show_required()

    def values(self) -> tuple[str, str, str]:
        """(category, reason, action) as entered; a blank category is ""."""
        index = self.category_combo.currentIndex()
        category = "" if index <= 0 else self.category_combo.currentText()
        return category, self.reason_edit.text(), self.action_edit.text()

    def set_read_only(self, read_only: bool) -> None:
        self.category_combo.setEnabled(not read_only)
        self.reason_edit.setReadOnly(read_only)
        self.action_edit.setReadOnly(read_only)

    def set_required(self, fields: set[str]) -> None:
        """The fields (CATEGORY, REASON) the round cannot close without."""
        self._required = {FIELD_OF.get(name, name) for name in fields}
        self._show_required()

    def is_required(self, field: str) -> bool:
        """Required and still empty (what the form marks 必填)."""
        if field not in self._required:
            return False
        category, reason, _ = self.values()
        return not (category if field == CATEGORY else reason.strip())

    def focus_field(self, field: str) -> None:
        widget = {CATEGORY: self.category_combo, ACTION: self.action_edit}.get(
            FIELD_OF.get(field, field), self.reason_edit
        )
        widget.setFocus()

    def first_required(self) -> str | None:
        return next((f for f in (CATEGORY, REASON) if self.is_required(f)), None)

    def _show_required(self) -> None:
        category_required = self.is_required(CATEGORY)
        self.category_combo.setItemText(0, REQUIRED_TEXT if category_required else BLANK_CATEGORY)
        self.category_combo.setStyleSheet(REQUIRED_STYLE if category_required else "")
        reason_required = self.is_required(REASON)
        self.reason_edit.setStyleSheet(REQUIRED_STYLE if reason_required else "")
        self.reason_edit.setPlaceholderText(
            f"{REQUIRED_TEXT}：预算执行滞后的原因" if reason_required else "预算执行滞后的原因"
        )
        tip = "关闭本轮监控前必须填写" if category_required or reason_required else ""
        self.category_combo.setToolTip(tip if category_required else "")
        self.reason_edit.setToolTip(tip if reason_required else "")

    def _on_edited(self, *_args: object) -> None:
        self._show_required()
        self.changed.emit()
