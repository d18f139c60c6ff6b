"""报告 page: choose a report, preview its PDF pages, export, print, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from app.services.reports import ReportKind
from app.ui.reports import page as page_module
from app.ui.reports.page import WHOLE_YEAR, ReportsPage
from tests.gui.helpers import background_done


@pytest.fixture
def page(qtbot, db, county):
    widget = ReportsPage(db)
    qtbot.addWidget(widget)
    widget.set_database(db, 2025)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget._forget()  # close the previewed PDF


def choose(page: ReportsPage, kind: ReportKind) -> None:
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(kind))


def first_goal_code(county) -> str:
    # fill_county leaves every fifth project without a goal (n % 5 == 4).
    return county.codes[2025][0]


def save_as(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(parent, caption, start, filters):
        asked.append(start)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


# Typing opens the completer's popup; the offscreen platform cannot raise it or grab keys.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


@OFFSCREEN_POPUP
def test_goal_table_preview_shows_the_pdf_page(page, qtbot, county):
    choose(page, ReportKind.GOAL_TABLE)
    assert page.project_edit.isVisible() and not page.department_combo.isVisible()
    qtbot.keyClicks(page.project_edit, first_goal_code(county))
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert page.preview.page_count == 1
    assert len(page.preview.page_labels) == 1
    pixmap = page.preview.page_labels[0].pixmap()
    assert not pixmap.isNull() and pixmap.height() > pixmap.width()  # an A4 portrait page
    assert "共 1 页" in page.status_label.text()


def test_the_project_picker_completes_codes_and_names(page, county):
    choose(page, ReportKind.GOAL_TABLE)
    entries = page._projects.stringList()
    assert len(entries) == county.projects_per_year[2025]
    assert entries[0].startswith(county.codes[2025][0] + "　")
    page.project_edit.setText(entries[0])  # a picked entry: code, name and unit
    assert page.request().project_code == county.codes[2025][0]


def test_export_word_and_pdf_after_preview(page, qtbot, county, monkeypatch, tmp_path):
    choose(page, ReportKind.GOAL_BOOK)
    assert page.department_combo.currentText() == WHOLE_YEAR
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    pages = page.preview.page_count
    assert pages > 2 and len(page.preview.page_labels) == min(pages, 20)
    asked = save_as(monkeypatch, tmp_path / "汇编")  # no extension typed
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    assert asked[0].endswith("2025年项目支出绩效目标汇编.pdf")
    assert len(PdfReader(tmp_path / "汇编.pdf").pages) == pages  # the previewed file itself
    save_as(monkeypatch, tmp_path / "汇编.docx")
    qtbot.mouseClick(page.word_button, Qt.MouseButton.LeftButton)
    document = docx.Document(str(tmp_path / "汇编.docx"))
    assert len(document.tables) == county.goals_per_year[2025]
    assert "已导出" in page.status_label.text()


def test_export_builds_first_when_nothing_was_previewed(page, monkeypatch, tmp_path):
    choose(page, ReportKind.ANNUAL)
    assert page.templates_button.isVisible()
    save_as(monkeypatch, tmp_path / "报告.pdf")
    assert page.export(".pdf") == tmp_path / "报告.pdf"
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "报告.pdf").pages)
    assert "预算绩效管理工作情况" in text.replace("\n", "")
    assert page.preview.page_count == len(PdfReader(tmp_path / "报告.pdf").pages)


def test_changing_the_choice_clears_the_preview(page, qtbot, county):
    choose(page, ReportKind.GOAL_BOOK)
    page.department_combo.setCurrentIndex(1)  # the first unit
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert page.preview.page_count > 0
    page.approved_check.setChecked(True)
    assert page.preview.page_count == 0 and page.preview.page_labels == []


@OFFSCREEN_POPUP
def test_unknown_project_shows_a_chinese_error(page, qtbot, shown_messages):
    choose(page, ReportKind.GOAL_TABLE)
    qtbot.keyClicks(page.project_edit, "NOPE")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert shown_messages.texts == ["2025年没有项目编码为“NOPE”的项目"]
    assert page.preview.page_count == 0


def test_an_empty_project_is_asked_for(page, qtbot, shown_messages):
    choose(page, ReportKind.GOAL_TABLE)
    qtbot.mouseClick(page.word_button, Qt.MouseButton.LeftButton)
    assert shown_messages.texts == ["请输入要生成项目支出绩效目标表的项目编码或名称"]


def test_the_preview_builds_in_the_background_and_cancel_keeps_nothing(
    page, qtbot, monkeypatch, shown_messages
):
    gate, real = threading.Event(), page_module.build_report

    def held(db, request, rules, progress):
        gate.wait(30)
        progress.step(0, 1)  # raises Cancelled once 取消 was clicked
        return real(db, request, rules, progress)

    monkeypatch.setattr(page_module, "build_report", held)
    choose(page, ReportKind.ANNUAL)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.load_bar.isVisible() and "正在生成" in page.load_bar.label.text()
    page.kind_combo.setFocus()  # the page answers while the report is built
    qtbot.mouseClick(page.load_bar.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    assert not page.load_bar.isVisible()
    assert page.preview.page_count == 0
    assert page.status_label.text() == "已取消生成报告。"
    assert shown_messages.texts == []
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)  # and builds again
    background_done(qtbot, page)
    assert page.preview.page_count > 0


def test_cancel_of_the_build_before_an_export(page, monkeypatch):
    real = page_module.run_task

    def cancel_at_once(parent, title, fn, **kw):
        from app.domain.progress import Progress

        return real(parent, title, lambda _p: fn(Progress(is_cancelled=lambda: True)), **kw)

    monkeypatch.setattr(page_module, "run_task", cancel_at_once)
    choose(page, ReportKind.GOAL_BOOK)
    assert page.export(".pdf") is None  # stopped before asking where to save
    assert page.preview.page_count == 0
    assert page.status_label.text() == "已取消生成报告。"


def test_print_paints_every_previewed_page(page, qtbot, county, tmp_path):
    choose(page, ReportKind.GOAL_BOOK)
    page.department_combo.setCurrentIndex(1)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert page.print_to(printer) == page.preview.page_count
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == page.preview.page_count


def test_the_main_window_has_the_reports_page(main_window):
    assert isinstance(main_window.page_widgets["报告"], ReportsPage)


def test_annual_preview_is_a_draft_and_final_is_refused(page, qtbot, shown_messages):
    choose(page, ReportKind.ANNUAL)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert "这是草稿，定稿前请补充：一、基本工作情况（一）" in page.status_label.text()
    qtbot.mouseClick(page.final_check, Qt.MouseButton.LeftButton)
    assert page.preview.page_count == 0  # the choice changed: the draft preview is gone
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert len(shown_messages.texts) == 1
    assert "不能导出定稿" in shown_messages.texts[0]
    assert "（九）绩效信息公开" in shown_messages.texts[0]
    assert page.preview.page_count == 0


def test_date_and_document_number_are_printed(page, qtbot, monkeypatch, tmp_path):
    choose(page, ReportKind.ANNUAL)
    qtbot.keyClicks(page.date_edit, "2026-03-31")
    page.doc_number_edit.setText("示财〔2026〕8号")  # keyClicks types ASCII only
    save_as(monkeypatch, tmp_path / "报告.pdf")
    assert page.export(".pdf") == tmp_path / "报告.pdf"
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "报告.pdf").pages)
    assert "示财〔2026〕8号" in text and "2026年3月31日" in text


def test_a_wrong_date_is_named(page, qtbot, shown_messages):
    choose(page, ReportKind.ANNUAL)
    qtbot.keyClicks(page.date_edit, "2026-02-30")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert shown_messages.texts == [
        "成文日期“2026-02-30”不对：请写成 2025-03-31 或 2025年3月31日 这样的日期。"
    ]


def test_substitute_fonts_are_named_once_a_report_is_built(qtbot, page, county, monkeypatch):
    looked_up: list[bool] = []

    def warnings() -> list[str]:
        looked_up.append(True)
        return ["仿宋：本机没有仿宋字体，改用“X”"]

    monkeypatch.setattr(page_module, "font_warnings", warnings)
    assert looked_up == [] and not page.font_label.isVisible()  # showing the page reads none
    choose(page, ReportKind.GOAL_TABLE)
    page.project_edit.setText(first_goal_code(county))
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert page.font_label.isVisible()  # before anything is printed or exported
    assert "仿宋：本机没有仿宋字体，改用“X”" in page.font_label.text()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    assert looked_up == [True]  # once per run


@OFFSCREEN_POPUP
def test_a_change_elsewhere_keeps_the_preview_and_the_export_has_it(
    page, qtbot, county, monkeypatch, tmp_path
):
    """Another page or seat saves while a preview is on screen: the preview stays, marked
    outdated; 导出 builds again, so the file carries the saved change."""
    from sqlalchemy import update

    from app.storage.models import Project

    code = first_goal_code(county)
    choose(page, ReportKind.GOAL_TABLE)
    qtbot.keyClicks(page.project_edit, code)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    background_done(qtbot, page)
    with page._db.transaction() as s:
        s.execute(update(Project).where(Project.code == code).values(name="改名后的项目"))
    page.mark_stale()
    assert page.preview.page_count == 1 and not page.loader.busy
    assert page_module.OUTDATED_NOTE in page.status_label.text()
    page.mark_stale()  # a second change: the note once
    assert page.status_label.text().count(page_module.OUTDATED_NOTE) == 1
    save_as(monkeypatch, tmp_path / "目标表.pdf")
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "目标表.pdf").pages)
    assert "改名后的项目" in text.replace("\n", "")
    assert page_module.OUTDATED_NOTE not in page.status_label.text()


def test_a_change_during_the_build_builds_again(page, qtbot, county):
    choose(page, ReportKind.GOAL_BOOK)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.loader.busy
    page.mark_stale()
    assert page.loader.busy  # started again on the new data
    background_done(qtbot, page)
    assert page.preview.page_count > 2
    assert page_module.OUTDATED_NOTE not in page.status_label.text()
