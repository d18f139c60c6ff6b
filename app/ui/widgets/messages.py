"""The one way messages reach the user.

Every expected problem (a UserError, or a plain Chinese sentence) is shown through
`show_error`; bugs go through `show_crash` from the excepthook. Both end in `_present`, which
tests replace to record what the user would have seen.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import UserError

log = logging.getLogger(__name__)

ERROR_TITLE = "操作未完成"
CRASH_TITLE = "程序出错"
_MAX_LINES_IN_BOX = 12


def show_error(parent: QWidget | None, error: UserError | str) -> None:
    """Show an expected problem (Chinese text) in a warning box."""
    text = error.message if isinstance(error, UserError) else str(error)
    log.info("向用户显示错误：%s", text)
    lines = text.splitlines()
    if len(lines) > _MAX_LINES_IN_BOX:
        shown = "\n".join([*lines[: _MAX_LINES_IN_BOX - 2], "……（完整内容见“显示详细信息”）"])
        _present(parent, QMessageBox.Icon.Warning, ERROR_TITLE, shown, text)
    else:
        _present(parent, QMessageBox.Icon.Warning, ERROR_TITLE, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    _present(parent, QMessageBox.Icon.Information, title, text)


def show_crash(parent: QWidget | None, log_folder: Path, details: str) -> None:
    """Tell the user a bug happened and where the log is; the traceback goes in details."""
    text = (
        "程序发生了意外错误，当前操作可能没有完成。\n\n"
        f"错误详情已写入日志文件夹：\n{log_folder}\n\n"
        "请将其中的 app.log 文件发给技术支持人员。已保存的数据不受影响。"
    )
    _present(parent, QMessageBox.Icon.Critical, CRASH_TITLE, text, details)


def _present(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()
