"""Yes/no questions to the user, in one place so tests can answer them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
    """True when the user confirms. Tests replace `_answer` to answer without a dialog."""
    return _answer(parent, title, text, yes, no)


def _answer(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button
