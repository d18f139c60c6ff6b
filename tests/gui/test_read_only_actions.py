"""A read-only window disables every action that writes, on every page and in dialogs.

QA: in a read-only second window 提交审核, 审核通过 and 导入目标 stayed enabled (the click
then failed with "数据库以只读方式打开"). The rule lives in app.ui.widgets.writes: buttons
declare that they write, the window holds them disabled. Each page is shown and its first
row selected (what enables most buttons); then no writing button may be enabled, and every
enabled button must be one known to only read, so a new button that writes but forgets to
say so fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton

from app.main import main
from app.storage.database import open_database
from app.ui.main_window import MainWindow
from app.ui.opening import OpenedFile
from app.ui.widgets.writes import WRITES, writing_buttons

# Buttons that only read, look or export: the only ones a read-only window leaves enabled.
READS_ONLY = {
    "打开目标", "部门整体目标", "审核记录", "打印绩效目标表", "导出目标…", "导出空白模板…",
    "导出指标库…", "导出监控表…", "导出自评表…", "重新计分", "导出汇总表…",
    "导出调整建议（Excel）…",
    "预览", "导出 Word…", "导出 PDF…", "打印…", "适合宽度", "100%", "滞后项目", "随机",
    "立即备份", "备份到文件…", "打开备份（只读）…", "打开规则集文件所在文件夹", "关闭",
    "导出问题清单…", "新出台重大政策…",
    "打开评价…", "导出评价报告…", "导出台账（Excel）…", "导出综合考核表…", "计入下年度…",
    "导出规则集文件…", "取消",  # 取消: stops a page's background read
}  # fmt: skip
NAMED = ("提交审核", "审核通过", "导入目标…", "导入监控表…", "导入自评表…", "采纳所选建议")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "示例县.sqlite3"
    assert main(["--db", str(path), "demo", "--scale", "0.05"]) == 0
    return path


def _window(qtbot, path: Path, read_only: bool) -> Iterator[MainWindow]:
    opened = OpenedFile(open_database(path, read_only=read_only), read_only_note="只读")
    window = MainWindow(opened)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


@pytest.fixture
def read_only(qtbot, demo) -> Iterator[MainWindow]:
    yield from _window(qtbot, demo, read_only=True)


@pytest.fixture
def writable(qtbot, demo) -> Iterator[MainWindow]:
    yield from _window(qtbot, demo, read_only=False)


def _visit_every_page(qtbot, window: MainWindow) -> dict[str, QPushButton]:
    """Show each page, select the first row of its lists; every button seen, by text."""
    seen: dict[str, QPushButton] = {}
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        page = window.pages.currentWidget()
        QApplication.processEvents()
        for view in page.findChildren(QAbstractItemView):
            model = view.model()
            if view.isVisible() and model is not None and model.rowCount() > 0:
                view.setCurrentIndex(model.index(0, 0))
        QApplication.processEvents()
        for button in page.findChildren(QPushButton):
            if button.text():  # untitled ones are the report preview's page thumbnails
                seen.setdefault(button.text(), button)
    return seen


def test_no_writing_action_is_enabled_on_any_page_of_a_read_only_window(qtbot, read_only):
    buttons = _visit_every_page(qtbot, read_only)
    assert set(NAMED) <= set(buttons)
    enabled = {text for text, b in buttons.items() if b.isEnabled()}
    assert not enabled & {t for t, b in buttons.items() if b.property(WRITES)}
    assert enabled <= READS_ONLY, enabled - READS_ONLY
    assert all(not b.isEnabled() for b in writing_buttons(read_only))


def test_the_same_actions_are_enabled_in_a_writable_window(qtbot, writable):
    buttons = _visit_every_page(qtbot, writable)
    enabled = {text for text, b in buttons.items() if b.isEnabled() and b.property(WRITES)}
    assert {"导入目标…", "导入自评表…", "采纳所选建议"} <= enabled


def test_a_page_cannot_switch_a_writing_button_back_on(qtbot, read_only):
    page = read_only.goals_page
    page.set_year(page.year)  # the page's own logic enables 导入目标 when a year is chosen
    page.buttons["提交审核"].setEnabled(True)
    assert not page.buttons["导入目标…"].isEnabled()
    assert not page.buttons["提交审核"].isEnabled()


def test_the_goal_editor_opened_from_a_read_only_window_cannot_save(qtbot, read_only):
    page = read_only.goals_page
    page.table.setCurrentIndex(page.model.index(0, 0))
    editor = page.open_current_goal()
    assert editor is not None
    qtbot.addWidget(editor)
    for button in (editor.save_button, editor.submit_button, editor.approve_button):
        assert not button.isEnabled()
    editor.close()
