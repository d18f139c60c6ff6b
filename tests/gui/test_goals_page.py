from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.ui.goals.project_table import (
    COL_AMOUNT,
    COL_CODE,
    COL_DEPARTMENT,
    COL_INDICATORS,
    COL_NAME,
    VALUE_ROLE,
    ProjectTableModel,
)
from app.ui.widgets.department_tree import department_key, section_key
from tests.gui.helpers import click_header, column_values, type_chinese


def test_search_by_code_filters_as_you_type(qtbot, main_window, county):
    page = main_window.goals_page
    code = county.codes[2025][7]
    qtbot.keyClicks(page.search, code[:9])  # unit code + year: that unit's projects
    prefix_matches = [c for c in county.codes[2025] if c.startswith(code[:9])]
    assert sorted(column_values(page.table, COL_CODE)) == sorted(prefix_matches)
    qtbot.keyClicks(page.search, code[9:])
    assert column_values(page.table, COL_CODE) == [code]
    assert page.count_label.text().startswith("共 1 个项目")
    page.search.clear()
    assert page.model.rowCount() == 18


def test_search_in_chinese_matches_names_and_units(qtbot, main_window):
    page = main_window.goals_page
    type_chinese(page.search, "医疗救助")
    names = column_values(page.table, COL_NAME)
    assert names and all("医疗救助" in n for n in names)
    page.search.clear()
    type_chinese(page.search, "第一中学")
    assert set(column_values(page.table, COL_DEPARTMENT)) == {"县第一中学"}


def test_search_with_two_words_needs_both(qtbot, main_window):
    page = main_window.goals_page
    type_chinese(page.search, "第一中学 校舍")
    rows = page.model.visible_rows()
    assert rows and all(r.department_name == "县第一中学" and "校舍" in r.name for r in rows)


def test_nothing_found_shows_zero(qtbot, main_window):
    page = main_window.goals_page
    qtbot.keyClicks(page.search, "no-such-project")
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "共 0 个项目，资金合计 0.00 万元"


def test_count_label_sums_money_in_wan(main_window, county):
    total = sum(county.amounts[2025], Decimal(0)) / 10000
    expected = f"共 18 个项目，资金合计 {total.quantize(Decimal('0.01')):,.2f} 万元"
    assert main_window.goals_page.count_label.text() == expected


def test_selecting_a_department_filters_the_list(qtbot, main_window, county):
    page = main_window.goals_page
    assert page.tree.select_key(department_key(county.departments["305002"]))
    assert set(column_values(page.table, COL_DEPARTMENT)) == {"县医疗保障局"}
    assert page.count_label.text().startswith(f"共 {page.model.rowCount()} 个项目")


def test_selecting_a_supervising_department_includes_its_units(qtbot, main_window, county):
    page = main_window.goals_page
    page.tree.select_key(department_key(county.departments["219001"]))
    assert set(column_values(page.table, COL_DEPARTMENT)) == {"县教育局", "县第一中学"}


def test_selecting_a_section_then_searching_narrows_both(qtbot, main_window):
    page = main_window.goals_page
    page.tree.select_key(section_key("社会保障股"))
    units = set(column_values(page.table, COL_DEPARTMENT))
    assert units == {"县人力资源和社会保障局", "县医疗保障局"}
    type_chinese(page.search, "养老保险")
    rows = page.model.visible_rows()
    assert rows and all("养老保险" in r.name and r.section == "社会保障股" for r in rows)


def test_clicking_the_root_shows_every_unit_again(qtbot, main_window):
    page = main_window.goals_page
    page.tree.select_key(section_key("教育股"))
    assert page.model.rowCount() < 18
    root = page.tree.model().index(0, 0)
    assert root.data() == "全部单位"
    rect = page.tree.visualRect(root)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.model.rowCount() == 18


def test_tree_shows_project_counts(main_window):
    tree_model = main_window.goals_page.tree.model()
    root = tree_model.index(0, 0)
    assert tree_model.index(0, 1).data() == "18"
    sections = [tree_model.index(i, 0, root).data() for i in range(tree_model.rowCount(root))]
    assert sections == ["教育股", "社会保障股"]


def test_clicking_money_header_sorts_by_amount(qtbot, main_window, county):
    page = main_window.goals_page
    click_header(page.table, COL_AMOUNT)
    amounts = column_values(page.table, COL_AMOUNT, VALUE_ROLE)
    assert amounts == sorted(county.amounts[2025])
    shown = column_values(page.table, COL_AMOUNT)
    assert shown[0] == f"{min(county.amounts[2025]) / 10000:,.2f}"
    click_header(page.table, COL_AMOUNT)
    assert column_values(page.table, COL_AMOUNT, VALUE_ROLE) == sorted(
        county.amounts[2025], reverse=True
    )


def test_sort_survives_filtering(qtbot, main_window):
    page = main_window.goals_page
    click_header(page.table, COL_INDICATORS)
    click_header(page.table, COL_INDICATORS)  # descending
    type_chinese(page.search, "县教育局")
    counts = column_values(page.table, COL_INDICATORS, VALUE_ROLE)
    assert counts == sorted(counts, reverse=True)


def test_money_is_right_aligned_with_two_decimals(main_window):
    index = main_window.goals_page.model.index(0, COL_AMOUNT)
    alignment = Qt.AlignmentFlag(index.data(Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert index.data().split(".")[-1].isdigit() and len(index.data().split(".")[-1]) == 2


def test_missing_goal_shows_as_not_filled_in(main_window):
    statuses = {r.code: r.status for r in main_window.goals_page.model.visible_rows()}
    assert "未填报" in statuses.values()


def test_project_model_passes_model_tester(qtmodeltester, main_window):
    model = main_window.goals_page.model
    qtmodeltester.check(model)
    model.set_filter("教育", None)
    qtmodeltester.check(model)
    model.sort(COL_AMOUNT, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_empty_project_model_passes_model_tester(qtmodeltester):
    qtmodeltester.check(ProjectTableModel())


def test_department_tree_model_passes_model_tester(qtmodeltester, main_window):
    qtmodeltester.check(main_window.goals_page.tree.model())
