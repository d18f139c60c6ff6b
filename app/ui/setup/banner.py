"""The strip above the pages of a demo or a not-yet-set-up database: one click from a real
county's own database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:  # part of the window's first paint, before the database layer loads
    from app.services.setup.county import CountyNames

STYLE = (
    "#setup_banner { background: #e8f1fb; border: 1px solid #9cc3e8; }"
    " #setup_banner QLabel { color: #123c66; }"
)


class SetupBanner(QWidget):
    setup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_banner")
        self.setStyleSheet(STYLE)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.setup_button = QPushButton()
        self._blank = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.setup_button)
        self.setup_button.clicked.connect(self.setup_requested)

    def show_for(self, names: CountyNames, blank: bool, read_only: bool) -> None:
        """Say what this database is; hidden for a county's own database."""
        if names.demo:
            self.text_label.setText(
                f"<b>【示例数据】</b>这是程序自带的示例数据库（{names.county}），所有数据均为虚构，"
                "仅供熟悉软件；报告上也会注明“示例数据”。要开始本县的工作，请新建本县数据库。"
            )
            self.setup_button.setText("新建本县数据库…")
        elif blank and not read_only:
            self.text_label.setText(
                "这个数据库还没有设置：请填写县（区）名称、第一个年度、股室和预算单位。"
            )
            self.setup_button.setText("建立本县数据库…")
        self.setVisible(names.demo or (blank and not read_only))
        self._blank = blank

    @property
    def sets_up_this_file(self) -> bool:
        """The button sets up the open (blank) database rather than creating a new file."""
        return self._blank
