"""Excel buttons of the 绩效监控, 绩效自评 and 结果应用 pages: export, edit like a department,
import back through the page; refused files; closed rounds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import update

from app.services.monitoring import round_rows
from app.ui.evaluation.page import EvaluationPage
from app.ui.results.page import ResultsPage
from app.ui.widgets.import_flow import ExportDoneBox, ImportSummaryDialog
from app.ui.widgets.problem_table import ProblemsDialog
from tests.gui.evg_data import YEAR, evaluated_county
from tests.gui.monitoring_helpers import loaded, show_page

pytest_plugins = ["tests.gui.monitoring_fixtures", "tests.gui.excel_flow_fixtures"]


def visible(parent: QWidget, kind: type) -> list:
    return [w for w in parent.findChildren(kind) if w.isVisible()]


def set_cell(path: Path, sheet: str, match: tuple[str, str], header: str, value: object) -> int:
    """Set `header` on the row whose `match[0]` column holds `match[1]`; that row."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    heads = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, heads[match[0]]).value == match[1])
    ws.cell(row, heads[header]).value = value
    book.save(path)
    return row


# -- 绩效监控 ------------------------------------------------------------------------------
def select_department(page, code: str) -> None:
    combo = page.list_view.department_combo
    combo.setCurrentIndex(combo.findData(code))


def test_monitoring_export_and_import_round_trip_from_the_page(
    qtbot, june_db, rules, file_dialogs, tmp_path
):
    page = show_page(qtbot, june_db, rules)
    assert page.export_button.isEnabled() and page.import_button.isEnabled()

    select_department(page, "219001")
    file_dialogs.save_path = tmp_path / "教育局.xlsx"
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == "绩效监控_2025年6月_县教育局.xlsx"
    (box,) = visible(page, ExportDoneBox)
    assert "1 个项目" in box.text()
    box.close()

    file_dialogs.open_path = file_dialogs.save_path
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    (summary,) = visible(page, ImportSummaryDialog)
    assert "全部与系统中一致" in summary.headline.text()
    summary.close()

    set_cell(file_dialogs.save_path, "项目", ("项目编码", "219001001"), "执行数（万元）", 5)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    (summary,) = visible(page, ImportSummaryDialog)
    assert "更新 1 个项目" in summary.headline.text()
    stored = {r.project_code: r.spent for r in round_rows(june_db, 2025, 6, rules)}
    assert stored["219001001"] == Decimal(50000)
    loaded(qtbot, page)
    shown = {r.project_code: r.spent for r in page.list_view.model.all_rows()}
    assert shown["219001001"] == Decimal(50000)  # the page reloaded the round


def test_monitoring_import_with_errors_lists_them_and_saves_nothing(
    qtbot, june_db, rules, file_dialogs, tmp_path
):
    page = show_page(qtbot, june_db, rules)
    path = tmp_path / "全部.xlsx"
    file_dialogs.save_path = path
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == "绩效监控_2025年6月_全部单位.xlsx"
    row = set_cell(path, "项目", ("项目编码", "301001001"), "执行数（万元）", "很多")
    before = round_rows(june_db, 2025, 6, rules)

    file_dialogs.open_path = path
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    (dialog,) = visible(page, ProblemsDialog)
    assert ("项目", row, "执行数（万元）") in {(p.sheet, p.row, p.column) for p in dialog.problems}
    assert round_rows(june_db, 2025, 6, rules) == before

    file_dialogs.save_path = tmp_path / "问题.xlsx"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    values = list(openpyxl.load_workbook(file_dialogs.save_path).active.values)
    assert values[0] == ("工作表", "行", "列", "问题", "严重程度")
    assert ("项目", row, "执行数（万元）") in {v[:3] for v in values[1:]}


def test_a_closed_round_can_be_exported_but_not_imported(qtbot, june_db, rules):
    from app.storage.models import MonitoringRound

    with june_db.transaction() as s:
        s.execute(update(MonitoringRound).values(status="closed"))
    page = show_page(qtbot, june_db, rules)
    assert page.export_button.isEnabled()
    assert not page.import_button.isEnabled()
    assert "已关闭" in page.import_button.toolTip()


def test_without_a_round_neither_button_works(qtbot, county_db, rules):
    page = show_page(qtbot, county_db, rules)
    assert not page.export_button.isEnabled() and not page.import_button.isEnabled()
    assert "监控轮次" in page.import_button.toolTip()


# -- 绩效自评 ------------------------------------------------------------------------------
@pytest.fixture
def evaluation_page(qtbot, db):
    from app.storage.models import SelfEvaluation

    evaluated_county(db)
    with db.transaction() as s:  # the factory leaves the money split empty; the import checks it
        s.execute(
            update(SelfEvaluation).values(
                budget_fiscal=SelfEvaluation.annual_budget, spent_fiscal=SelfEvaluation.spent
            )
        )
    page = EvaluationPage(db)
    qtbot.addWidget(page)
    assert not page.export_button.isEnabled()
    page.set_year(YEAR)
    page.resize(1300, 760)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 24)
    return page


def test_selfeval_export_then_import_from_the_page(qtbot, evaluation_page, file_dialogs, tmp_path):
    page = evaluation_page
    path = tmp_path / "自评.xlsx"
    file_dialogs.save_path = path
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == "绩效自评_2025_全部单位.xlsx"
    (box,) = visible(page, ExportDoneBox)
    assert "24 个项目" in box.text()
    box.close()

    file_dialogs.open_path = path
    # The factory's evaluations lack what the file carries (the first import completes them);
    # importing the same file again changes nothing.
    texts = []
    for _ in range(2):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
        (summary,) = visible(page, ImportSummaryDialog)
        texts.append((summary.headline.text(), summary.notes.text()))
        summary.close()
    headline, notes = texts[-1]
    assert "新增 0 份，修改 0 份，未变 24 份" in headline
    assert "没有保存任何变化" in notes

    code = page.model.all_rows()[0].project_code
    set_cell(path, "项目", ("项目编码", code), "实际完成情况", "全部按期完成，群众满意")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    (summary,) = visible(page, ImportSummaryDialog)
    assert "修改 1 份" in summary.headline.text()
    assert "导入前已自动备份数据库" in summary.notes.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 24)  # rescored after the import


def test_selfeval_file_with_a_word_in_a_score_is_refused(
    qtbot, evaluation_page, file_dialogs, tmp_path
):
    page = evaluation_page
    path = tmp_path / "自评.xlsx"
    file_dialogs.save_path = path
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    code = page.model.all_rows()[0].project_code
    row = set_cell(path, "指标", ("项目编码", code), "自评得分", "满分")
    file_dialogs.open_path = path
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    (dialog,) = visible(page, ProblemsDialog)
    assert dialog.headline.text().endswith("个错误，未导入任何数据")
    assert ("指标", row, "自评得分") in {(p.sheet, p.row, p.column) for p in dialog.problems}
    assert not any(p.message.startswith("（提醒）") for p in dialog.problems)


# -- 结果应用 ------------------------------------------------------------------------------
def test_results_export_for_the_selected_department(qtbot, db, file_dialogs, tmp_path):
    evaluated_county(db)
    page = ResultsPage(db)
    qtbot.addWidget(page)
    assert not page.export_button.isEnabled()
    page.set_year(YEAR)
    page.show()
    qtbot.waitExposed(page)
    assert page.generate()
    first = page.department_model.visible_rows()[1]
    page.department_table.selectRow(1)

    file_dialogs.save_path = tmp_path / "调整.xlsx"
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.suggested_name == f"结果应用调整建议_2025_{first.name}.xlsx"
    (box,) = visible(page, ExportDoneBox)
    assert f"1 个单位、{first.count} 个项目" in box.text()
    rows = list(openpyxl.load_workbook(file_dialogs.save_path).active.values)
    assert len(rows) >= 1 + first.count
