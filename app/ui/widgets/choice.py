"""Questions with named answers: "只读打开 / 退出", "恢复 / 取消".

`ask` builds a message box whose buttons carry a key and returns the key of the button
pressed (the escape key's answer when the box is closed). Every question ends in
`_present`, which tests replace to answer (and to look at the box) without a modal loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

_KEY = "choice_key"


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole


def build_box(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[Choice],
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    informative: str = "",
    default: str | None = None,
    escape: str | None = None,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    for choice in choices:
        button = box.addButton(choice.label, choice.role)
        button.setProperty(_KEY, choice.key)
        if choice.key == default:
            box.setDefaultButton(button)
        if choice.key == escape:
            box.setEscapeButton(button)
    box.setProperty("escape_key", escape or "")
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[Choice],
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    informative: str = "",
    default: str | None = None,
    escape: str | None = None,
) -> str:
    """Show the question; the key of the answer (`escape` when the box is just closed)."""
    return answer(
        build_box(
            parent,
            title,
            text,
            choices,
            icon=icon,
            informative=informative,
            default=default,
            escape=escape,
        )
    )


def answer(box: QMessageBox) -> str:
    """Show a box made by build_box; the key of the answer."""
    try:
        return _present(box)
    finally:
        box.deleteLater()


def confirm(
    parent: QWidget | None, title: str, text: str, ok_label: str, informative: str = ""
) -> bool:
    """A yes/no question whose yes button names the action ("清空回收站")."""
    choices = [Choice("ok", ok_label), Choice("cancel", "取消", QMessageBox.ButtonRole.RejectRole)]
    key = ask(
        parent,
        title,
        text,
        choices,
        icon=QMessageBox.Icon.Warning,
        informative=informative,
        default="cancel",
        escape="cancel",
    )
    return key == "ok"


def key_of(box: QMessageBox, label: str) -> str:
    """The key of the button labelled `label` (for tests pressing a button by its text)."""
    for button in box.buttons():
        if button.text() == label:
            return str(button.property(_KEY))
    raise KeyError(label)


def _present(box: QMessageBox) -> str:
    box.exec()
    clicked = box.clickedButton()
    key = clicked.property(_KEY) if clicked is not None else None
    return str(key) if key else str(box.property("escape_key"))
