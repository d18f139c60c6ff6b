"""A goal's review history: every change of status with who, when, why and what changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.goals import RevisionRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("版本", "时间", "操作人", "状态", "原因", "变更内容")
COL_REVISION, COL_AT, COL_ACTOR, COL_STATUS, COL_REASON, COL_CHANGES = range(len(COLUMNS))


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return f"{lines[0]} 等 {len(lines)} 项"


class RevisionTableModel(QAbstractTableModel):
    """Newest first: the latest decision is what the user looks for."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RevisionRow] = []

    def set_rows(self, rows: Sequence[RevisionRow]) -> None:
        self.beginResetModel()
        self._rows = list(reversed(rows))
        self.endResetModel()

    def row_at(self, row: int) -> RevisionRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"第{r.revision}版",
                r.at.strftime("%Y-%m-%d %H:%M"),
                r.actor,
                f"{r.status_from} → {r.status_to}",
                _first_line(r.reason),
                _first_line(r.changes),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_REASON, COL_CHANGES):
            return r.reason if column == COL_REASON else r.changes
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None


class HistoryPanel(QWidget):
    """The revision list with the full reason and change list of the selected one below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RevisionTableModel(self)
        self.table = QTableView()
        self.detail = QPlainTextEdit()
        self.empty_label = QLabel("尚无审核记录：提交审核、审核通过和退回都会记录在这里。")
        self.empty_label.setWordWrap(True)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Reason and changes show their first line; the full text is below the table.
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_CHANGES, QHeaderView.ResizeMode.Stretch)
        self.detail.setReadOnly(True)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([200, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter, 1)
        layout.addStretch(0)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def set_rows(self, rows: Sequence[RevisionRow]) -> None:
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.splitter.setVisible(bool(rows))
        self.detail.clear()
        if rows:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        r = self.model.row_at(current.row())
        when = r.at.strftime("%Y年%m月%d日 %H:%M")
        text = (
            f"第{r.revision}版　{r.status_from} → {r.status_to}\n{when}　{r.actor}\n\n"
            f"原因：\n{r.reason or '（无）'}\n\n变更内容：\n{r.changes or '（无）'}"
        )
        self.detail.setPlainText(text)


class HistoryDialog(QDialog):
    def __init__(self, title: str, rows: Sequence[RevisionRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"审核记录 — {title}")
        self.panel = HistoryPanel()
        self.panel.set_rows(rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(900, 520)


def show_history(parent: QWidget | None, title: str, rows: Sequence[RevisionRow]) -> None:
    HistoryDialog(title, rows, parent).exec()
