"""绩效监控 page: opening rounds, the project list with lamps, filters, lagging, search."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.enums import Lamp
from app.services.monitoring import lagging, round_rows
from app.ui.monitoring.page import MonitoringPage
from app.ui.monitoring.round_table import (
    COL_BUDGET,
    COL_BUDGET_LAMP,
    COL_CODE,
    COL_GAP,
    COL_PROJECT_LAMP,
    COL_RATE,
    VALUE_ROLE,
)
from app.ui.pages import page_entries
from tests.gui.helpers import column_values, type_chinese
from tests.gui.monitoring_helpers import (
    BUDGETS,
    loaded,
    show_page,
)

pytest_plugins = ["tests.gui.monitoring_fixtures"]  # county_db, june_db


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_navigation_entry_builds_the_monitoring_page(qtbot, county_db):
    entry = next(e for e in page_entries() if e.name == "绩效监控")
    page = entry.factory(county_db)
    qtbot.addWidget(page)
    assert type(page) is MonitoringPage


def test_opening_the_first_round_lists_every_project_with_lamps(
    qtbot, county_db, rules, shown_messages
):
    page = show_page(qtbot, county_db, rules)
    assert page.round_combo.count() == 0
    assert not page.close_button.isEnabled()
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    dialog = page.open_dialog
    assert dialog is not None and dialog.isVisible()
    # The rule set's months, all still available.
    assert [dialog.month_combo.itemData(i) for i in range(dialog.month_combo.count())] == [
        3,
        6,
        9,
        10,
        11,
        12,
    ]
    dialog.select_month(6)
    assert "第一轮" in dialog.carry_label.text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    opened = "已开启 2025年6月监控，共 4 个项目、0 个部门整体。本年度第一轮，数据从空白开始。"
    assert shown_messages.texts == [opened]
    assert page.round_combo.currentText() == "6月（进行中）"
    assert page.close_button.isEnabled() and not page.banner.isVisible()
    loaded(qtbot, page)  # the round's rows are read in the background
    table = page.list_view.table
    assert sorted(column_values(table, COL_CODE)) == sorted(BUDGETS)
    assert column_values(table, COL_BUDGET) == ["10.00", "20.00", "10.00", "20.00"]
    # Nothing spent yet: 0% of 序时进度 is a red budget lamp, shown as colour and text.
    assert set(column_values(table, COL_BUDGET_LAMP)) == {"红灯"}
    assert set(column_values(table, COL_PROJECT_LAMP, VALUE_ROLE)) == {Lamp.RED}
    icon = table.model().index(0, COL_PROJECT_LAMP).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()
    assert page.list_view.chips[Lamp.RED].plain_text() == "红灯 4"


def test_a_later_round_says_where_its_figures_come_from(qtbot, june_db, rules, shown_messages):
    page = show_page(qtbot, june_db, rules)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    dialog = page.open_dialog
    months = [dialog.month_combo.itemData(i) for i in range(dialog.month_combo.count())]
    assert months == [3, 9, 10, 11, 12]  # June exists already
    dialog.select_month(9)
    assert "将从 6 月的监控数据结转" in dialog.carry_label.text()
    dialog.select_month(3)
    assert "第一轮" in dialog.carry_label.text()
    dialog.select_month(9)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert shown_messages.texts[-1].endswith("数据从 6 月结转。")
    assert combo_texts(page.round_combo) == ["6月（进行中）", "9月（进行中）"]
    assert page.round_combo.currentData() == 9
    loaded(qtbot, page)
    # Carried forward: September starts from June's spending.
    rates = dict(
        zip(
            column_values(page.list_view.table, COL_CODE),
            column_values(page.list_view.table, COL_RATE),
            strict=True,
        )
    )
    assert rates["219001001"] == "20.00%"


def test_the_list_shows_the_selected_rounds_rows(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    lamps = dict(
        zip(
            column_values(page.list_view.table, COL_CODE),
            column_values(page.list_view.table, COL_PROJECT_LAMP),
            strict=True,
        )
    )
    assert lamps == {
        "219001001": "红灯",
        "219002001": "绿灯",
        "301001001": "黄灯",
        "301002001": "绿灯",
    }
    text = page.list_view.count_label.text()
    assert text == "共 4 个项目，调整后预算 60.00 万元，执行 29.50 万元，执行率 49.17%"


def test_filter_by_lamp_then_by_section(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    view = page.list_view
    view.lamp_combo.setCurrentIndex(view.lamp_combo.findText("绿灯"))
    assert sorted(column_values(view.table, COL_CODE)) == ["219002001", "301002001"]
    view.section_combo.setCurrentIndex(view.section_combo.findText("农业农村股"))
    assert column_values(view.table, COL_CODE) == ["301002001"]
    # The unit filter offers only the section's units.
    assert combo_texts(view.department_combo) == [
        "全部单位",
        "县农业农村局（301001）",
        "县水利局（301002）",
    ]
    view.lamp_combo.setCurrentIndex(view.lamp_combo.findText("全部灯"))
    view.department_combo.setCurrentIndex(view.department_combo.findData("301001"))
    assert column_values(view.table, COL_CODE) == ["301001001"]
    assert view.chips[Lamp.YELLOW].plain_text() == "黄灯 1"
    view.lamp_combo.setCurrentIndex(view.lamp_combo.findText("红灯"))
    assert view.model.rowCount() == 0
    assert view.count_label.text().startswith("共 0 个项目")


def test_lagging_toggle_lists_projects_behind_largest_gap_first(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    view = page.list_view
    assert view.table.isColumnHidden(COL_GAP)
    qtbot.mouseClick(view.lagging_button, Qt.MouseButton.LeftButton)
    assert view.lagging_button.isChecked()
    assert not view.table.isColumnHidden(COL_GAP)
    expected = [r.project_code for r in lagging(round_rows(june_db, 2025, 6, rules))]
    assert column_values(view.table, COL_CODE) == expected == ["219001001", "301001001"]
    assert column_values(view.table, COL_GAP) == ["30.00", "15.00"]
    assert view.count_label.text().startswith("共 2 个滞后项目")
    qtbot.mouseClick(view.lagging_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 4 and view.table.isColumnHidden(COL_GAP)


def test_lagging_keeps_the_other_filters(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    view = page.list_view
    view.section_combo.setCurrentIndex(view.section_combo.findText("农业农村股"))
    view.lagging_button.setChecked(True)
    assert column_values(view.table, COL_CODE) == ["301001001"]


def test_search_by_code_and_in_chinese(qtbot, june_db, rules):
    page = show_page(qtbot, june_db, rules)
    view = page.list_view
    qtbot.keyClicks(view.search, "3010")
    assert sorted(column_values(view.table, COL_CODE)) == ["301001001", "301002001"]
    view.search.clear()
    type_chinese(view.search, "水利")
    assert column_values(view.table, COL_CODE) == ["301002001"]


def test_rows_are_cached_per_round_until_something_changes(qtbot, june_db, rules, monkeypatch):
    page = show_page(qtbot, june_db, rules)
    calls = []
    import app.ui.monitoring.page as page_module

    original = page_module.round_rows
    monkeypatch.setattr(
        page_module, "round_rows", lambda *a, **k: calls.append(a[1:3]) or original(*a, **k)
    )
    page.refresh()
    page.refresh()
    assert calls == []  # June is cached
    page.set_database(june_db, 2025)
    qtbot.waitUntil(lambda: not page._stale)
    assert calls == [(2025, 6)]


def test_a_year_without_rounds_shows_an_empty_list(qtbot, county_db, rules):
    page = show_page(qtbot, county_db, rules, year=2025)
    assert page.list_view.model.rowCount() == 0
    assert page.open_button.isEnabled()
    page.set_year(None)
    qtbot.waitUntil(lambda: not page._stale)
    assert not page.open_button.isEnabled()


def test_in_the_main_window_the_page_loads_only_when_shown(qtbot, main_window):
    page = main_window.page_widgets["绩效监控"]
    assert isinstance(page, MonitoringPage)
    assert page._stale and page.round_combo.count() == 0
    names = [main_window.navigation.item(i).text() for i in range(main_window.navigation.count())]
    main_window.navigation.setCurrentRow(names.index("绩效监控"))
    qtbot.waitUntil(lambda: not page._stale)
    assert page.isVisible() and page.open_button.isEnabled()
    assert page.list_view.model.rowCount() == 0
