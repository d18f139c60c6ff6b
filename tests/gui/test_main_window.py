from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.domain.errors import UserError
from app.ui.about import AboutDialog
from app.ui.goals.project_table import COL_CODE
from app.ui.pages import page_entries
from tests.gui.helpers import column_values


def test_opens_on_goals_with_latest_year_and_full_list(main_window, county):
    assert main_window.year_combo.currentText() == "2025 年"
    assert main_window.year == 2025
    assert main_window.navigation.currentItem().text() == "绩效目标"
    assert main_window.pages.currentWidget() is main_window.goals_page
    assert sorted(column_values(main_window.goals_page.table, COL_CODE)) == sorted(
        county.codes[2025]
    )
    assert main_window.width() >= 1200 and main_window.height() >= 760


def test_year_list_holds_every_year(main_window):
    combo = main_window.year_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["2024 年", "2025 年"]


def test_switching_the_year_reloads_the_list(qtbot, main_window, county):
    main_window.year_combo.setCurrentIndex(0)
    page = main_window.goals_page
    assert page.model.rowCount() == 12
    assert sorted(column_values(page.table, COL_CODE)) == sorted(county.codes[2024])
    assert page.count_label.text().startswith("共 12 个项目")
    qtbot.waitUntil(lambda: "2024 年度：项目 12 个" in main_window.counts_label.text())


def test_search_text_still_applies_after_switching_year(qtbot, main_window):
    page = main_window.goals_page
    qtbot.keyClicks(page.search, "305002")
    main_window.year_combo.setCurrentIndex(0)
    codes = column_values(page.table, COL_CODE)
    assert codes and all(c.startswith("3050022024") for c in codes)


def test_status_bar_shows_database_and_counts(qtbot, main_window, db, county):
    assert str(db.path or db.label) in main_window.path_label.text()
    goals = county.goals_per_year[2025]
    expected = f"单位 4 个　|　2025 年度：项目 18 个，绩效目标 {goals} 个"
    qtbot.waitUntil(lambda: main_window.counts_label.text().strip() == expected)
    assert db.label in main_window.windowTitle()


def test_left_navigation_has_the_yearly_cycle(main_window):
    nav = main_window.navigation
    names = [nav.item(i).text() for i in range(nav.count())]
    assert names == [
        "绩效目标",
        "事前评估",
        "绩效监控",
        "绩效自评",
        "抽查复核",
        "结果应用",
        "重点评价",
        "整改",
        "公开",
        "报告",
        "设置",
    ]


def test_every_step_of_the_cycle_has_its_page(qtbot, main_window):
    nav = main_window.navigation
    for row, entry in enumerate(page_entries()):
        nav.setCurrentRow(row)
        page = main_window.pages.currentWidget()
        assert page is main_window.page_widgets[entry.name]
        assert hasattr(page, "set_year"), entry.name
        assert page.isVisible()


def test_menus(main_window):
    titles = [a.text() for a in main_window.menuBar().actions()]
    assert titles == ["文件(&F)", "帮助(&H)"]
    file_menu = main_window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions() if a.text()] == [
        "新建本县数据库(&N)…",
        "打开数据库(&O)…",
        "连接服务器(&S)…",
        "最近打开(&R)",
        "另存为(&A)…",
        "导入表格（纸质表样）(&I)…",
        "更换操作人员(&U)…",
        "退出(&X)",
    ]


def test_about_names_version_database_and_folders(qtbot, main_window, db):
    dialog = AboutDialog(db, main_window)
    qtbot.addWidget(dialog)
    assert dialog.fields["数据库文件"] == str(db.target)
    assert dialog.fields["数据库结构版本"]
    assert set(dialog.fields) == {
        "版本",
        "数据库文件",
        "数据库结构版本",
        "数据文件夹",
        "日志文件夹",
        "报告字体",
    }
    assert "黑体：" in dialog.fields["报告字体"]


def test_opening_another_database_switches_everything(qtbot, main_window, tmp_path: Path):
    assert main_window.open_database_file(tmp_path / "空的.sqlite3")
    assert main_window.year_combo.count() == 0
    assert main_window.year is None
    assert main_window.goals_page.model.rowCount() == 0
    assert main_window.goals_page.count_label.text() == "共 0 个项目，资金合计 0.00 万元"
    assert "空的.sqlite3" in main_window.path_label.text()
    qtbot.waitUntil(lambda: main_window.counts_label.text().strip() == "单位 0 个")


def test_qt_buttons_speak_chinese(qtbot, main_window, db):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.application import install_chinese_translations

    install_chinese_translations(QApplication.instance())
    dialog = AboutDialog(db, main_window)
    qtbot.addWidget(dialog)
    (buttons,) = dialog.findChildren(QDialogButtonBox)
    assert [b.text() for b in buttons.buttons()] == ["关闭"]


def test_user_error_text_is_shown_verbatim(shown_messages):
    from app.ui.widgets.messages import show_error

    show_error(None, UserError("文件“a.xlsx”被占用"))
    show_error(None, "请先选择年度。")
    assert shown_messages.texts == ["文件“a.xlsx”被占用", "请先选择年度。"]
