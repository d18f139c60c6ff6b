"""Set-up pages driven like a user: the demo's way out (新建本县数据库 → a new file),
最近打开 and 另存为, the wizard's checks and close paths, 设置 → 基础信息 / 预算单位, and
the operator asked at start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWizard

from app.domain.units import UnitInput
from app.services.common.catalog import list_years
from app.services.setup import county, operator
from app.services.setup.sections import list_sections
from app.services.setup.units import list_units
from app.storage.database import Database
from app.ui import first_open, preferences
from app.ui.main_window import MainWindow
from app.ui.settings.page import SettingsPage
from app.ui.setup import operator_prompt
from app.ui.widgets import choice
from tests.gui.conftest import fill_county
from tests.gui.goal_editor_helpers import type_chinese_text, type_into
from tests.gui.test_setup_walk import fill_wizard


def _demo(db: Database) -> None:
    fill_county(db, {2025: 3})
    with db.transaction() as s:
        county.write_names(s, "示例县", "示例县财政局")
        county.mark_demo(s)


def _window(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def _answer(monkeypatch, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def present(box):  # type: ignore[no-untyped-def]
        asked.append(box.text())
        return key

    monkeypatch.setattr(choice, "_present", present)
    return asked


def test_the_demo_is_marked_and_one_click_from_a_new_county_file(qtbot, db, tmp_path, monkeypatch):
    _demo(db)
    window = _window(qtbot, db)
    assert window.windowTitle().startswith("【示例数据】")
    assert window.setup_banner.isVisible()
    assert window.setup_banner.setup_button.text() == "新建本县数据库…"
    window.setup_banner.setup_button.click()
    wizard = window.file_menu.wizard
    target = tmp_path / "白水县.sqlite3"
    type_into(wizard.names.path_edit, str(target))
    fill_wizard(qtbot, wizard, "白水县")
    assert window.database.path == target.resolve()
    assert not window.windowTitle().startswith("【示例数据】") and "白水县" in window.windowTitle()
    assert [p.name for p in preferences.recent_files()] == ["白水县.sqlite3"]
    assert not county.county_names(window.database).demo
    window.close()


def test_save_as_writes_a_copy_and_the_next_start_opens_the_county(qtbot, tmp_path, monkeypatch):
    window = first_open.start(tmp_path / "青山县.sqlite3")
    qtbot.addWidget(window)
    window.setup_banner.setup_button.click()
    fill_wizard(qtbot, window.file_menu.wizard, "青山县")
    copy = window.file_menu.save_as(tmp_path / "副本.sqlite3")
    assert copy is not None and copy.exists()
    assert preferences.last_database() == (tmp_path / "青山县.sqlite3").resolve()
    assert {p.name for p in preferences.recent_files()} == {"青山县.sqlite3", "副本.sqlite3"}
    window.file_menu.fill_recent()
    assert len(window.file_menu.recent_menu.actions()) == 2
    window.close()
    again = first_open.start(None)  # no path: the database used last, not the demo
    qtbot.addWidget(again)
    assert again.database.path == (tmp_path / "青山县.sqlite3").resolve()
    again.close()


def test_the_wizard_refuses_bad_input_where_it_was_typed(qtbot, db, shown_messages):
    window = _window(qtbot, db)
    wizard = window.file_menu.new_county_database(this_file=True)
    qtbot.waitExposed(wizard)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.names
    assert shown_messages.texts[-1].startswith("请填写县（区）名称")
    type_chinese_text(wizard.names.county_edit, "青山县")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.button(QWizard.WizardButton.NextButton).click()
    with qtbot.waitActive(wizard):
        wizard.activateWindow()
    wizard.units.grid.add_button.click()  # the new row's 单位编码 cell is being edited
    QTest.keyClicks(QApplication.focusWidget(), "12")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits Enter in a queued call
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.units
    assert "第1行“单位编码”列" in shown_messages.texts[-1]
    assert "第1行“单位名称”列" in shown_messages.texts[-1]


def test_closing_the_wizard_with_typed_work_asks_first(qtbot, db, monkeypatch):
    window = _window(qtbot, db)
    wizard = window.file_menu.new_county_database(this_file=True)
    qtbot.waitExposed(wizard)
    type_chinese_text(wizard.names.county_edit, "青山县")
    asked = _answer(monkeypatch, "go_on")
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked == ["已填写的内容尚未保存，确定放弃吗？"] and wizard.isVisible()
    wizard.close()  # the X button
    assert len(asked) == 2 and wizard.isVisible()
    _answer(monkeypatch, "give_up")
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible()
    assert list_years(db) == []


def _settings(window: MainWindow) -> SettingsPage:
    page = window.page_widgets["设置"]
    assert isinstance(page, SettingsPage)
    window.navigation.setCurrentRow(window.pages.indexOf(page))
    return page


def test_basics_tab_names_sections_and_years(qtbot, db, monkeypatch):
    fill_county(db, {2025: 2})
    window = _window(qtbot, db)
    basics = _settings(window).basics
    type_chinese_text(basics.county_edit, "青山县")
    basics.save_names_button.click()
    qtbot.waitUntil(lambda: "青山县" in window.windowTitle())  # announced after the commit
    assert county.county_names(db).bureau == "青山县财政局"

    dialog = basics.add_section()
    type_chinese_text(dialog.edit, "社保股")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert [s.name for s in list_sections(db)][-1] == "社保股"
    assert basics.current_section().name == "社保股"
    basics.section_buttons["上移"].click()
    assert [s.name for s in list_sections(db)][-2] == "社保股"
    basics.section_buttons["停用"].click()
    assert not next(s for s in list_sections(db) if s.name == "社保股").active
    assert basics.section_buttons["停用"].text() == "启用"

    dialog = basics.rename_section()
    type_into(dialog.edit, "x")  # changed, then Esc: asked, kept open, then given up
    asked = _answer(monkeypatch, "keep")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["修改尚未保存，确定放弃吗？"] and dialog.isVisible()
    _answer(monkeypatch, "discard")
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected

    dialog = basics.new_year()
    assert dialog.rolled_radio.isChecked() and dialog.year_spin.value() == 2026
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert list_years(db) == [2025, 2026]
    qtbot.waitUntil(lambda: window.year_combo.count() == 2)  # announced after the commit


def test_units_tab_add_move_retire_and_paste(qtbot, db, shown_messages):
    fill_county(db, {2025: 2})
    window = _window(qtbot, db)
    tab = _settings(window).units
    window.page_widgets["设置"].show_tab("预算单位")
    dialog = tab.add_unit()
    type_into(dialog.code_edit, "999001")
    type_chinese_text(dialog.name_edit, "县档案馆")
    dialog.section_combo.setCurrentIndex(1)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    added = next(u for u in list_units(db) if u.code == "999001")
    assert added.section == dialog.section_combo.itemText(1)
    assert tab.current_unit().code == "999001"

    dialog = tab.edit_unit()
    dialog.parent_combo.setCurrentIndex(1)
    parent_code = dialog.parent_combo.currentData()
    type_into(dialog.code_edit, "99-1")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "3 至 21 位" in shown_messages.texts[-1]  # kept open
    type_into(dialog.code_edit, "999001")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert next(u for u in list_units(db) if u.code == "999001").parent_code == parent_code

    tab.buttons["停用"].click()
    assert not next(u for u in list_units(db) if u.code == "999001").active
    assert tab.table.item(tab.table.currentRow(), 4).text() == "已停用"

    paste = tab.add_many()
    paste.grid.append_units([UnitInput("999002", "县史志办")])
    paste.buttons.button(paste.buttons.StandardButton.Ok).click()
    assert any(u.code == "999002" for u in list_units(db))


def test_the_operator_is_asked_once_and_remembered(
    qtbot, tmp_path, monkeypatch, operator_not_asked
):
    path = tmp_path / "x.sqlite3"
    monkeypatch.setattr(operator_prompt, "_ask", lambda _p, known, _c: "王会计")
    window = first_open.start(path)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)  # asked once the window has painted
    assert window.operator_label.text().startswith("操作人员：王会计")
    window.close()
    operator.choose("")

    def not_again(*_args: object) -> None:
        raise AssertionError("asked again although remembered")

    monkeypatch.setattr(operator_prompt, "_ask", not_again)
    again = first_open.start(path)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.settled)
    assert operator.chosen() == "王会计"  # remembered for this computer account
    again.close()


def test_no_name_given_means_unnamed_never_the_login(qtbot, tmp_path, operator_not_asked):
    window = first_open.start(tmp_path / "x.sqlite3")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)
    assert operator_not_asked == [[]]  # asked once, nobody known yet
    assert window.operator_label.text().startswith("操作人员：未署名")
    window.close()


def test_someone_looking_at_the_demo_is_not_asked_but_asked_for_their_county(
    qtbot, db, tmp_path, operator_not_asked
):
    _demo(db)
    window = _window(qtbot, db)
    first_open.choose_at_start(window, db)
    assert operator_not_asked == []
    window.setup_banner.setup_button.click()
    wizard = window.file_menu.wizard
    type_into(wizard.names.path_edit, str(tmp_path / "白水县.sqlite3"))
    fill_wizard(qtbot, wizard, "白水县")
    assert operator_not_asked == [[]]  # asked once the county's own file is open
    window.close()
