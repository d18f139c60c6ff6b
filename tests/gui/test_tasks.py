from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from app.domain.errors import UserError
from app.domain.progress import Cancelled, Progress
from app.ui.widgets.tasks import TaskProgressDialog, run_task


def test_returns_the_result_computed_off_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen: list[int] = []

    def work(progress: Progress) -> int:
        seen.append(threading.get_ident())
        for i in range(5):
            progress.step(i, 5, f"第 {i} 步")
        return 42

    assert run_task(None, "测试", work) == 42
    assert seen and seen[0] != gui_thread


def test_exception_is_raised_in_the_caller(qtbot):
    def work(_progress: Progress) -> None:
        raise UserError("文件被占用")

    with pytest.raises(UserError, match="文件被占用"):
        run_task(None, "测试", work)


def test_cancel_stops_the_work_at_its_next_step(qtbot):
    steps: list[int] = []

    def work(progress: Progress) -> None:
        for i in range(2000):
            progress.step(i, 2000, "处理中")
            steps.append(i)
            time.sleep(0.005)

    def cancel() -> None:
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, TaskProgressDialog) and w.isVisible()
        ]
        assert len(dialogs) == 1
        (button,) = dialogs[0].findChildren(QPushButton)
        assert button.text() == "取消"
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(600, cancel)  # after the dialog appears (300 ms)
    with pytest.raises(Cancelled):
        run_task(None, "测试", work)
    assert 0 < len(steps) < 2000


def test_progress_dialog_shows_the_step_message(qtbot):
    dialog = TaskProgressDialog(None, "测试", "请稍候")
    qtbot.addWidget(dialog)
    dialog.show_progress(3, 10, "正在生成第 3 个单位")
    assert dialog.labelText() == "正在生成第 3 个单位"
    assert (dialog.value(), dialog.maximum()) == (3, 10)
