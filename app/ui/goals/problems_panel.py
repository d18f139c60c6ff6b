"""The live check results beside the grid: blocking problems in red, review findings in
amber, the reviewer's return reasons in blue; clicking one takes the user to its cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from app.domain.errors import Problem
from app.services.goals import ReturnCommentRow

Index = QModelIndex | QPersistentModelIndex
BLOCKING, WARNING, RETURN = "blocking", "warning", "return"
_COLOURS = {BLOCKING: QColor("#b3261e"), WARNING: QColor("#8a5a00"), RETURN: QColor("#1a5fb4")}
_MARKS = {BLOCKING: "●", WARNING: "▲", RETURN: "✎"}
# The item's Problem, for code and tests.
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PanelItem:
    kind: str
    problem: Problem

    @property
    def text(self) -> str:
        where = f"第{self.problem.row}行" if self.problem.row is not None else ""
        if self.problem.column:
            where += ("·" if where else "") + self.problem.column
        prefix = "退回意见" if self.kind == RETURN else ""
        head = "：".join(part for part in (prefix, where) if part)
        return (
            f"{_MARKS[self.kind]} {head}：{self.problem.message}"
            if head
            else (f"{_MARKS[self.kind]} {self.problem.message}")
        )


class ProblemListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[PanelItem] = []

    def set_items(self, items: Sequence[PanelItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[PanelItem]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return item.text
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_COLOURS[item.kind])
        if role == PROBLEM_ROLE:
            return item.problem
        return None


def panel_items(
    problems: Sequence[Problem], comments: Sequence[ReturnCommentRow] = ()
) -> list[PanelItem]:
    """Return reasons first (what the reviewer asked for), then blocking, then warnings;
    each group in grid order, goal-wide ones first."""

    def order(p: Problem) -> int:
        return -1 if p.row is None else p.row

    items = [
        PanelItem(RETURN, Problem(c.text, row=c.row, column="三级指标" if c.row else ""))
        for c in comments
    ]
    blocking = sorted((p for p in problems if p.blocking), key=order)
    warnings = sorted((p for p in problems if not p.blocking), key=order)
    items += [PanelItem(BLOCKING, p) for p in blocking]
    items += [PanelItem(WARNING, p) for p in warnings]
    return items


class ProblemsPanel(QWidget):
    """Emits `problem_activated(Problem)` when the user clicks or presses Enter on one."""

    problem_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemListModel(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.clicked.connect(self._on_list_clicked)
        self.list.activated.connect(self._on_list_clicked)

    def set_problems(
        self, problems: Sequence[Problem], comments: Sequence[ReturnCommentRow] = ()
    ) -> None:
        self.model.set_items(panel_items(problems, comments))
        blocking = sum(1 for p in problems if p.blocking)
        warnings = len(problems) - blocking
        if not problems:
            text = "<span style='color:#1e7b34'>✔ 检查通过：没有发现问题</span>"
        else:
            parts = []
            if blocking:
                red = "<span style='color:#b3261e'>"
                parts.append(f"{red}<b>{blocking}</b> 个问题须修改后才能提交审核</span>")
            if warnings:
                parts.append(f"<span style='color:#8a5a00'><b>{warnings}</b> 条审核提示</span>")
            text = "，".join(parts)
        self.summary.setText(text)

    def blocking_count(self) -> int:
        return sum(1 for item in self.model.items() if item.kind == BLOCKING)

    def _on_list_clicked(self, index: QModelIndex) -> None:
        problem = index.data(PROBLEM_ROLE)
        if problem is not None:
            self.problem_activated.emit(problem)
