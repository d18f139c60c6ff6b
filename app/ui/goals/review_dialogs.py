"""Dialogs of the review workflow: return with reasons, bulk confirmation, refused goals.

Dialogs only collect input or show results; the caller runs the service (git-cola style).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.indicator_values import format_target
from app.services.goals import BulkResult, GoalDetail, Refusal
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ReturnReasons:
    overall: str
    by_indicator: dict[int, str]  # indicator id → reason


class RowReasonModel(QAbstractTableModel):
    """The goal's indicators with an editable 退回意见 column."""

    COLUMNS = ("行", "一级指标", "三级指标", "指标值", "退回意见")
    REASON = 4

    def __init__(self, detail: GoalDetail, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = [r for r in detail.indicators if r.id is not None]
        self._reasons = [""] * len(self._rows)

    def reasons(self) -> dict[int, str]:
        return {
            row.id: text.strip()
            for row, text in zip(self._rows, self._reasons, strict=True)
            if row.id is not None and text.strip()
        }

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.REASON:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
        ):
            return None
        row = self._rows[index.row()]
        return (
            str(index.row() + 1),
            row.level1,
            row.name,
            format_target(row.comparator, row.target, row.unit, row.target_text),
            self._reasons[index.row()],
        )[index.column()]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.REASON:
            return False
        self._reasons[index.row()] = "" if value is None else str(value)
        self.dataChanged.emit(index, index)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None


class ReturnGoalDialog(EditingDialog):
    """Collects an overall reason and reasons per indicator; at least one is needed."""

    unsaved_question = "已填写的退回意见尚未提交，关闭前退回该绩效目标吗？"
    save_label = "退回"

    def __init__(self, detail: GoalDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"退回绩效目标 — {detail.project_name or detail.department_name}")
        self.overall = QPlainTextEdit()
        self.overall.setPlaceholderText("总体退回意见，例如：指标设置不完整，请补充效益指标")
        self.overall.setTabChangesFocus(True)
        self.overall.setFixedHeight(self.overall.fontMetrics().lineSpacing() * 4 + 12)
        self.rows = RowReasonModel(detail, self)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RowReasonModel.REASON, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("退回", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("总体意见："))
        layout.addWidget(self.overall)
        layout.addWidget(QLabel("逐项意见（在需要修改的指标行填写，可不填）："))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 520)

    def reasons(self) -> ReturnReasons:
        return ReturnReasons(self.overall.toPlainText().strip(), self.rows.reasons())

    def is_dirty(self) -> bool:
        reasons = self.reasons()
        return bool(reasons.overall or reasons.by_indicator)

    def finish_editing(self) -> None:
        self.table.setCurrentIndex(QModelIndex())  # commits a reason still being typed

    def save_changes(self) -> bool:
        self._on_buttons_accepted()
        return self.result() == QDialog.DialogCode.Accepted

    def _on_buttons_accepted(self) -> None:
        self.finish_editing()
        reasons = self.reasons()
        if not reasons.overall and not reasons.by_indicator:
            show_error(self, "请填写退回原因：总体意见或至少一个指标的意见")
            return
        self.accept()


def ask_return_reasons(parent: QWidget | None, detail: GoalDetail) -> ReturnReasons | None:
    dialog = ReturnGoalDialog(detail, parent)
    return dialog.reasons() if dialog.exec() == QDialog.DialogCode.Accepted else None


class BulkReturnDialog(EditingDialog):
    unsaved_question = "已填写的退回原因尚未提交，关闭前退回选中的绩效目标吗？"
    save_label = "退回"

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("批量退回")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("退回原因（将记录在每个绩效目标的审核记录中）")
        self.reason.setTabChangesFocus(True)
        buttons = QDialogButtonBox()
        buttons.addButton(f"退回 {count} 个目标", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"将退回选中的 {count} 个绩效目标。只有“待审核”的目标会被退回。"))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def is_dirty(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def save_changes(self) -> bool:
        self.accept()  # only asked when a reason is typed: nothing left to check
        return True

    def _on_buttons_accepted(self) -> None:
        if not self.reason.toPlainText().strip():
            show_error(self, "请填写退回原因")
            return
        self.accept()


def ask_bulk_return_reason(parent: QWidget | None, count: int) -> str | None:
    dialog = BulkReturnDialog(count, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.toPlainText().strip()


def _reasons_text(refusal: Refusal) -> str:
    # Service messages start with the goal's label ("项目 <code>："): the first
    # column already names the goal.
    prefix = f"项目 {refusal.project_code}："
    return "\n".join(r.removeprefix(prefix) for r in refusal.reasons)


REFUSAL_COLUMNS: tuple[Column[Refusal], ...] = (
    Column("绩效目标", lambda r: r.label, tooltip=True),
    Column("未完成原因", _reasons_text, tooltip=True),
)


class RefusalTableModel(RowTableModel[Refusal]):
    def __init__(self, refusals: Sequence[Refusal], parent: Any = None) -> None:
        super().__init__(REFUSAL_COLUMNS, parent)
        self.set_rows(refusals)


class BulkResultDialog(QDialog):
    """What a bulk action did: how many were done, and each refused goal with its reasons."""

    def __init__(self, action: str, result: BulkResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"批量{action}结果")
        done, refused = len(result.done), len(result.refused)
        text = f"已{action} {done} 个绩效目标。"
        if refused:
            text += f"以下 {refused} 个未能{action}，原因如下："
        self.summary = QLabel(text)
        self.model = RefusalTableModel(result.refused, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Wrapped reasons need the final column width: fit the rows whenever it changes.
        header.sectionResized.connect(self._on_header_section_resized)
        self.table.setVisible(bool(refused))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 460 if refused else 160)

    def _on_header_section_resized(self, *_args: object) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)  # once the layout has settled


def show_bulk_result(parent: QWidget | None, action: str, result: BulkResult) -> None:
    BulkResultDialog(action, result, parent).exec()
