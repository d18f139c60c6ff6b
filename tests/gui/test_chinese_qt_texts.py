"""Qt's own texts are Chinese: the message box's standard buttons and the file dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from app.ui.application import install_chinese_translations


@pytest.fixture(autouse=True)
def chinese(qapp):
    install_chinese_translations(QApplication.instance())


def test_message_box_standard_buttons(qtbot):
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question, "t", "x", buttons.Yes | buttons.No | buttons.Cancel
    )
    qtbot.addWidget(box)
    texts = {
        box.button(b).text().replace("&", "") for b in (buttons.Yes, buttons.No, buttons.Cancel)
    }
    assert texts == {"是(Y)", "否(N)", "取消"}


def test_file_dialog_labels_and_buttons(qtbot, tmp_path):
    dialog = QFileDialog(None, "导出", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    labels = {label.text().replace("&", "") for label in dialog.findChildren(QLabel)} - {""}
    (box,) = dialog.findChildren(QDialogButtonBox)
    buttons = {b.text().replace("&", "") for b in box.buttons()}
    # 查找范围 and 文件类型 are missing from Qt's own catalogue: the app supplies them.
    assert labels == {"查找范围(L)：", "文件名称(N)：", "文件类型(T)："}
    assert buttons == {"保存(S)", "取消"}
