"""绩效目标 page's Excel bar: export for a department, re-import (no change), a refused file
with located errors, the exported problem list, cancel while writing, a locked file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget

from app.domain.errors import DeletionsNotConfirmed
from app.services.common.catalog import section_tree
from app.services.goals import workbook as goals_workbook
from app.ui.goals.page import GoalsPage
from app.ui.widgets import choice
from app.ui.widgets.import_flow import ExportDoneBox, ImportSummaryDialog, confirm_losses
from app.ui.widgets.problem_table import ProblemsDialog
from app.ui.widgets.tasks import TaskProgressDialog
from app.ui.widgets.workbook_kinds import Scope
from tests.gui.helpers import click_header, column_values
from tests.integration.goals_workbook_data import YEAR, checksum, goals_county

pytest_plugins = ["tests.gui.excel_flow_fixtures"]  # file_dialogs


@pytest.fixture
def page(qtbot, db):
    with db.transaction() as s:
        goals_county(s)
    page = GoalsPage(db)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.set_year(YEAR)
    page.show()
    qtbot.waitExposed(page)
    return page


def click(qtbot, page: GoalsPage, text: str) -> None:
    qtbot.mouseClick(page.buttons[text], Qt.MouseButton.LeftButton)


def visible(page: QWidget, kind: type) -> list:
    return [w for w in page.findChildren(kind) if w.isVisible()]


def select_department(page: GoalsPage, code: str) -> None:
    node = next(d for s in section_tree(page._db) for d in s.departments if d.code == code)
    assert page.tree.select_key(f"department:{node.id}")


def test_excel_buttons_need_a_year(qtbot, page):
    for text in ("导入目标…", "导出目标…", "导出空白模板…"):
        assert page.buttons[text].isEnabled()
    page.set_year(None)
    assert not any(page.buttons[t].isEnabled() for t in ("导入目标…", "导出目标…", "导出空白模板…"))
    assert page.buttons["导出指标库…"].isEnabled()  # the library has no year


def test_export_for_the_selected_department_then_import_changes_nothing(
    qtbot, page, db, file_dialogs, tmp_path
):
    select_department(page, "219001")
    assert page.excel_scope() == Scope("219001", "县教育局")
    file_dialogs.save_path = tmp_path / "教育局.xlsx"
    click(qtbot, page, "导出目标…")

    assert file_dialogs.suggested_name == "绩效目标_2025_县教育局.xlsx"
    (box,) = visible(page, ExportDoneBox)
    assert "2 个单位、5 个项目" in box.text()  # 县教育局 and the school it supervises
    assert str(file_dialogs.save_path) in box.informativeText()
    qtbot.mouseClick(box.folder_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.opened_urls == [str(tmp_path)]

    before = checksum(db)
    file_dialogs.open_path = file_dialogs.save_path
    click(qtbot, page, "导入目标…")
    (summary,) = visible(page, ImportSummaryDialog)
    assert summary.headline.text().startswith("2025 年度：新增 0 个，修改 0 个，未变 6 个")
    assert "没有保存任何变化" in summary.notes.text()
    assert summary.change_model.rowCount() == 0
    assert checksum(db) == before


def test_import_of_a_changed_file_lists_what_changed_and_reloads(
    qtbot, page, db, file_dialogs, tmp_path
):
    path = tmp_path / "全部.xlsx"
    goals_workbook.export_goals(db, path, YEAR)
    book = openpyxl.load_workbook(path)
    ws = book["项目"]
    heads = {c.value: c.column for c in ws[1]}
    ws.cell(2, heads["年度总体目标"]).value = "改过的年度总体目标"
    code = ws.cell(2, heads["项目编码"]).value
    book.save(path)
    file_dialogs.open_path = path
    click(qtbot, page, "导入目标…")
    (summary,) = visible(page, ImportSummaryDialog)
    assert "修改 1 个" in summary.headline.text()
    assert "导入前已自动备份数据库" in summary.notes.text()
    lines = summary.change_model.rows()
    assert [(x.outcome, x.label) for x in lines] == [("修改", f"项目 {code}")]


def broken_file(db, tmp_path: Path) -> tuple[Path, int, int]:
    """A department's file with a word in 分值 and an unknown 单位编码; their rows."""
    path = tmp_path / "单位填报.xlsx"
    goals_workbook.export_goals(db, path, YEAR)
    book = openpyxl.load_workbook(path)
    projects, indicators = book["项目"], book["指标"]
    p_heads = {c.value: c.column for c in projects[1]}
    i_heads = {c.value: c.column for c in indicators[1]}
    projects.cell(3, p_heads["单位编码"]).value = "999999"
    indicators.cell(5, i_heads["分值"]).value = "十分"
    book.save(path)
    return path, 3, 5


def test_a_file_with_located_errors_is_refused_and_lists_every_problem(
    qtbot, page, db, file_dialogs, tmp_path
):
    path, project_row, indicator_row = broken_file(db, tmp_path)
    before = checksum(db)
    file_dialogs.open_path = path
    click(qtbot, page, "导入目标…")

    (dialog,) = visible(page, ProblemsDialog)
    errors = [p for p in dialog.problems if p.blocking]
    assert dialog.headline.text() == f"发现 {len(errors)} 个错误，未导入任何数据"
    where = {(p.sheet, p.row, p.column) for p in errors}
    assert ("项目", project_row, "单位编码") in where
    assert ("指标", indicator_row, "分值") in where
    shown = {tuple(r[:3]) for r in rows_of(dialog)}
    assert ("项目", str(project_row), "单位编码") in shown
    assert ("指标", str(indicator_row), "分值") in shown
    assert checksum(db) == before

    # Sortable: by 行, then back to reading order by 工作表.
    click_header(dialog.table, 1)
    numbers = [int(n) if n else 0 for n in column_values(dialog.table, 1)]
    assert numbers in (sorted(numbers), sorted(numbers, reverse=True))
    # Selecting a row shows its whole text below the table.
    dialog.table.selectRow(0)
    assert dialog.detail.text().startswith(("错误：", "提示："))

    file_dialogs.save_path = tmp_path / "问题.xlsx"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == "导入问题清单_单位填报.xlsx"
    (box,) = visible(dialog, ExportDoneBox)
    assert f"共 {len(dialog.problems)} 条" in box.text()
    listed = list(openpyxl.load_workbook(file_dialogs.save_path).active.values)
    assert len(listed) == 1 + len(dialog.problems)
    assert any("单位编码" in [str(v) for v in row] for row in listed[1:])


def rows_of(dialog: ProblemsDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_cancel_while_writing_saves_nothing(qtbot, page, db, file_dialogs, tmp_path, monkeypatch):
    path = tmp_path / "改.xlsx"
    goals_workbook.export_goals(db, path, YEAR)
    book = openpyxl.load_workbook(path)
    ws = book["项目"]
    column = next(c.column for c in ws[1] if c.value == "年度总体目标")
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = f"第{row}行改过的目标"
    book.save(path)
    before = checksum(db)

    writing = threading.Event()
    real_write = goals_workbook.write_plan

    def write_then_wait(session, plan, content, state, progress):  # worker thread
        created = real_write(session, plan, content, state, progress)
        writing.set()
        deadline = time.monotonic() + 20
        while not progress.is_cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        progress.step(1, 1, "")  # the user's cancel arrives here, inside the transaction
        return created

    monkeypatch.setattr(goals_workbook, "write_plan", write_then_wait)

    def cancel_when_writing() -> None:
        dialogs = visible(page, TaskProgressDialog)
        if writing.is_set() and dialogs:
            poller.stop()
            (button,) = dialogs[0].findChildren(QPushButton)
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    poller = QTimer()
    poller.timeout.connect(cancel_when_writing)
    poller.start(50)
    file_dialogs.open_path = path
    click(qtbot, page, "导入目标…")
    poller.stop()

    assert writing.is_set()
    assert checksum(db) == before
    assert not visible(page, ImportSummaryDialog)


def test_a_locked_target_file_gives_the_occupied_message(
    qtbot, page, file_dialogs, tmp_path, monkeypatch, shown_messages
):
    def locked(_src, _dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("app.atomic.os.replace", locked)
    file_dialogs.save_path = tmp_path / "被锁住.xlsx"
    click(qtbot, page, "导出目标…")
    assert file_dialogs.suggested_name == "绩效目标_2025_全部单位.xlsx"
    assert not visible(page, ExportDoneBox)
    (text,) = shown_messages.texts
    assert "被占用" in text and "被锁住.xlsx" in text


def test_a_file_that_is_not_a_workbook_gives_a_chinese_message(
    qtbot, page, db, file_dialogs, tmp_path, shown_messages
):
    fake = tmp_path / "假的.xlsx"
    fake.write_text("这不是 Excel 文件", encoding="utf-8")
    before = checksum(db)
    file_dialogs.open_path = fake
    click(qtbot, page, "导入目标…")
    assert not visible(page, ProblemsDialog)
    (text,) = shown_messages.texts
    assert "假的.xlsx" in text
    assert checksum(db) == before


def test_cancelling_the_file_dialog_does_nothing(qtbot, page, file_dialogs, shown_messages):
    click(qtbot, page, "导入目标…")
    click(qtbot, page, "导出空白模板…")
    assert file_dialogs.suggested_name == "绩效目标空白模板_2025_全部单位.xlsx"
    assert shown_messages.texts == []
    assert not visible(page, ExportDoneBox)


def test_blank_template_and_library_round_trip(qtbot, page, db, file_dialogs, tmp_path):
    file_dialogs.save_path = tmp_path / "模板.xlsx"
    click(qtbot, page, "导出空白模板…")
    (box,) = visible(page, ExportDoneBox)
    assert "空白模板" in box.text()
    box.close()

    from app.services.library.records import load_default_library

    load_default_library(db)
    file_dialogs.save_path = tmp_path / "指标库.xlsx"
    click(qtbot, page, "导出指标库…")
    assert file_dialogs.suggested_name == "指标库.xlsx"
    file_dialogs.open_path = file_dialogs.save_path
    click(qtbot, page, "导入指标库…")
    (summary,) = visible(page, ImportSummaryDialog)
    assert "新增 0 个，修改 0 个" in summary.headline.text()


@pytest.mark.parametrize("answer", ["删除并导入", "取消", "closed"])
def test_a_file_that_deletes_an_indicator_asks_first_with_the_list(
    qtbot, page, db, file_dialogs, tmp_path, monkeypatch, shown_messages, answer
):
    path = tmp_path / "删行.xlsx"
    goals_workbook.export_goals(db, path, YEAR)
    book = openpyxl.load_workbook(path)
    ws = book["指标"]
    code, name = ws.cell(2, 1).value, ws.cell(2, 4).value
    ws.delete_rows(2)
    book.save(path)
    asked = []

    def present(box):
        asked.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        if answer == "closed":  # 关闭/Esc/X: the escape button's answer
            return box.property("escape_key")
        return choice.key_of(box, answer)

    monkeypatch.setattr(choice, "_present", present)
    before = checksum(db)
    file_dialogs.open_path = path
    click(qtbot, page, "导入目标…")
    ((text, details, buttons),) = asked
    assert "将删除或清空 1 处已保存的数据" in text
    assert details.startswith(f"项目 {code}（") and "删除指标“" in details and name in details
    assert buttons == ["删除并导入", "取消"]
    if answer == "删除并导入":
        (summary,) = visible(page, ImportSummaryDialog)
        assert "删除或清空已保存的数据 1 处" in summary.headline.text()
        assert f"已删除或清空：项目 {code}" in summary.notes.text()
        assert checksum(db) != before
    else:
        assert not visible(page, ImportSummaryDialog)
        assert shown_messages.shown[-1][1] == "未导入，没有保存任何数据。"
        assert checksum(db) == before


def test_a_long_list_shows_the_first_lines_and_every_one_in_the_details(qtbot, monkeypatch):
    losses = [f"项目 {n}（项目{n}）：删除指标“指标{n}”" for n in range(30)]
    seen = []

    def present(box):
        seen.append((box.informativeText(), box.detailedText()))
        return box.property("escape_key")  # closed with Esc: not confirmed

    monkeypatch.setattr(choice, "_present", present)
    assert not confirm_losses(None, "导入绩效目标", DeletionsNotConfirmed("目标.xlsx", losses))
    ((shown, details),) = seen
    assert shown.splitlines() == [*losses[:12], "……另有 18 处，见“显示详细信息”"]
    assert details.splitlines() == losses
