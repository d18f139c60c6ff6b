"""A goal's review history: every change of status with who, when, why and what changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
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
from app.ui.widgets.row_table import Column, RowTableModel


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return f"{lines[0]} 等 {len(lines)} 项"


COLUMNS: tuple[Column[RevisionRow], ...] = (
    Column("版本", lambda r: f"第{r.revision}版"),
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M")),
    Column("操作人", lambda r: r.actor),
    Column("状态", lambda r: f"{r.status_from} → {r.status_to}"),
    Column("原因", lambda r: _first_line(r.reason), tooltip=lambda r: r.reason),
    Column("变更内容", lambda r: _first_line(r.changes), tooltip=lambda r: r.changes),
)
COL_REVISION, COL_AT, COL_ACTOR, COL_STATUS, COL_REASON, COL_CHANGES = range(len(COLUMNS))


class RevisionTableModel(RowTableModel[RevisionRow]):
    """Newest first: the latest decision is what the user looks for."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def set_rows(self, rows: Sequence[RevisionRow]) -> None:
        super().set_rows(list(reversed(rows)))


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
