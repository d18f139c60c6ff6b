"""Another seat saved the record first: show both, field by field, and let the user choose.

保留我的 keeps every typed value, 采用对方的 takes every stored one, 逐项合并 takes the
choice made on each line. Esc, 取消 and the window's X decide nothing: the editor stays
open with the typed text. The editor then saves against the new version (EditingDialog).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import StaleRecordError

MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True)
class ConflictLine:
    key: str
    label: str
    mine: str  # as shown
    theirs: str


class ConflictDialog(QDialog):
    def __init__(
        self, error: StaleRecordError, lines: list[ConflictLine], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("保存冲突")
        self.lines = lines
        self.choices: dict[str, str] | None = None  # None: nothing decided
        change = error.change
        theirs_title = f"对方的修改（{change.by()}，{change.when()}）"
        note = QLabel(
            f"{error.label}在您编辑期间已被{change.by()}于 {change.when()} 保存。"
            "下面列出两边不同的内容，请选择保留哪一方；选择后按新的内容保存。"
        )
        note.setWordWrap(True)
        self.table = QTableWidget(len(lines), 4)
        self.table.setHorizontalHeaderLabels(["项目", "我的修改", theirs_title, "采用"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.combos: list[QComboBox] = []
        for row, line in enumerate(lines):
            for column, text in enumerate((line.label, line.mine, line.theirs)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem("我的", MINE)
            combo.addItem("对方的", THEIRS)
            self.combos.append(combo)
            self.table.setCellWidget(row, 3, combo)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox()
        self.keep_mine_button = QPushButton("保留我的")
        self.take_theirs_button = QPushButton("采用对方的")
        self.merge_button = QPushButton("逐项合并")
        self.cancel_button = QPushButton("取消")
        for button in (self.keep_mine_button, self.take_theirs_button, self.merge_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_mine_button.clicked.connect(
            lambda: self._decide({line.key: MINE for line in lines})
        )
        self.take_theirs_button.clicked.connect(
            lambda: self._decide({line.key: THEIRS for line in lines})
        )
        self.merge_button.clicked.connect(self._merge)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def choose(self, key: str, side: str) -> None:
        """Set one line's 采用 choice (what a click in its combo does)."""
        combo = self.combos[[line.key for line in self.lines].index(key)]
        combo.setCurrentIndex(combo.findData(side))

    def _merge(self) -> None:
        self._decide(
            {
                line.key: combo.currentData()
                for line, combo in zip(self.lines, self.combos, strict=True)
            }
        )

    def _decide(self, choices: dict[str, str]) -> None:
        self.choices = choices
        self.accept()


def ask_resolution(
    parent: QWidget | None, error: StaleRecordError, lines: list[ConflictLine]
) -> dict[str, str] | None:
    """MINE or THEIRS per line key; None when the user decided nothing (tests replace this)."""
    dialog = ConflictDialog(error, lines, parent)
    dialog.exec()
    return dialog.choices
