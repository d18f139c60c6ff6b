"""Small dialogs of the round's life: opening a new round, and what blocks closing one.

Both open with `open()` (not blocking): the page reacts to their signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import Problem
from app.services.monitoring import ReasonNeeded


def carried_from(existing: Sequence[int], month: int) -> int | None:
    """The round a new round of `month` starts from: the latest earlier one (as the service)."""
    earlier = [m for m in existing if m < month]
    return max(earlier) if earlier else None


def merged_messages(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    """One line per lamp, with its project code ("" when the problem names none):
    "…为黄灯，须选择偏差原因类别" and "…为黄灯，须填写偏差原因说明" become
    "…为黄灯，须选择偏差原因类别、填写偏差原因说明"."""
    merged: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for problem in problems:
        subject, sep, need = problem.message.partition("，须")
        key = subject if sep else problem.message
        merged.setdefault(key, []).append(need)
        if isinstance(problem, ReasonNeeded):
            codes.setdefault(key, problem.project_code)
    return [
        (f"{subject}，须{'、'.join(needs)}" if any(needs) else subject, codes.get(subject, ""))
        for subject, needs in merged.items()
    ]


class OpenRoundDialog(QDialog):
    """Choose the month of a new round among the rule set's months not opened yet."""

    month_chosen = Signal(int)

    def __init__(
        self, year: int, months: Sequence[int], existing: Sequence[int], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("开启新一轮监控")
        self._existing = list(existing)
        self.month_combo = QComboBox()
        for month in months:
            if month not in existing:
                self.month_combo.addItem(f"{month}月（序时进度 {month * 100 / 12:.2f}%）", month)
        self.carry_label = QLabel()
        self.carry_label.setWordWrap(True)
        self.carry_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("中" * 30))
        form = QFormLayout()
        form.addRow(f"{year}年 监控月份：", self.month_combo)
        form.addRow("", self.carry_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开启")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("可开启的月份由规则集设定；新一轮列出本年度所有已通过绩效目标的项目。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.month_combo.currentIndexChanged.connect(self._on_month_combo_current_index_changed)
        self._on_month_combo_current_index_changed(self.month_combo.currentIndex())

    def select_month(self, month: int) -> None:
        self.month_combo.setCurrentIndex(self.month_combo.findData(month))

    def _on_month_combo_current_index_changed(self, _index: int) -> None:
        month = self.month_combo.currentData()
        if month is None:
            self.carry_label.setText("规则集中的月份都已开启，没有可开启的轮次。")
            return
        source = carried_from(self._existing, int(month))
        self.carry_label.setText(
            f"将从 {source} 月的监控数据结转（调整后预算、执行数、指标完成值和偏差原因），"
            "处理意见重新填写。"
            if source
            else "本年度第一轮监控：调整后预算取项目资金总额，执行数和完成值从空白开始。"
        )

    def _on_buttons_accepted(self) -> None:
        month = self.month_combo.currentData()
        if month is not None:
            self.accept()
            self.month_chosen.emit(int(month))


class MissingReasonsDialog(QDialog):
    """The reasons that keep a round from closing, each a link to its project."""

    project_chosen = Signal(str)  # project code

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("不能关闭本轮监控")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setMinimumSize(self.fontMetrics().horizontalAdvance("中" * 66), 300)
        self.list.itemClicked.connect(self._on_list_item_clicked)
        self.list.itemActivated.connect(self._on_list_item_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("单击一条，转到该项目填写："))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def set_problems(self, year: int, month: int, problems: Sequence[Problem]) -> None:
        self.list.clear()
        projects = set()
        for text, code in merged_messages(problems):
            item = QListWidgetItem(text)
            item.setToolTip(text)
            if code:
                projects.add(code)
                item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        self.summary.setText(
            f"{year}年{month}月监控还有 {len(problems)} 处偏差原因未填写"
            f"（涉及 {len(projects)} 个项目）。预算执行或指标为红灯、黄灯的，"
            "须填写偏差原因类别和说明后才能关闭。"
            if problems
            else f"{year}年{month}月监控的偏差原因已全部填写，可以关闭本轮。"
        )

    def codes(self) -> list[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items]

    def _on_list_item_clicked(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.project_chosen.emit(str(code))
