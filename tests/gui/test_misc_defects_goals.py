"""QA round 2: the goals list says why it is empty, and sorts 状态 in workflow order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.storage.models import FiscalYear
from app.ui.goals.project_table import COL_STATUS, STATUS_ORDER
from app.ui.widgets.department_tree import department_key
from tests.gui.helpers import click_header, column_values, type_chinese


def test_search_without_match_says_so_in_the_table(qtbot, main_window):
    page = main_window.goals_page
    assert page.table.empty_label.isHidden()
    type_chinese(page.search, "不存在的项目")
    assert page.model.rowCount() == 0
    assert page.table.empty_label.isVisible()
    assert page.table.empty_label.text() == (
        "没有符合“不存在的项目”的项目，可按项目编码、名称或单位搜索"
    )
    page.search.clear()
    assert page.table.empty_label.isHidden()


def test_search_without_match_in_a_unit_names_the_unit_scope(qtbot, main_window, county):
    page = main_window.goals_page
    page.tree.select_key(department_key(county.departments["305002"]))
    qtbot.keyClicks(page.search, "zzz")
    assert page.table.empty_label.text().startswith("所选单位中没有符合“zzz”的项目")


def test_year_without_projects_points_to_import(qtbot, main_window, db):
    with db.transaction() as s:
        s.add(FiscalYear(year=2026))
    page = main_window.goals_page
    page.set_year(2026)
    assert page.model.rowCount() == 0
    assert page.table.empty_label.isVisible()
    assert page.table.empty_label.text() == "本年度尚无项目，可通过“导入目标…”导入"
    page.set_year(2025)
    assert page.table.empty_label.isHidden()


def test_status_sorts_in_workflow_order(qtbot, main_window):
    page = main_window.goals_page
    click_header(page.table, COL_STATUS)
    order = [STATUS_ORDER[s] for s in column_values(page.table, COL_STATUS)]
    assert order == sorted(order)
    statuses = list(dict.fromkeys(column_values(page.table, COL_STATUS)))
    assert statuses[0] == "未填报" and statuses[-1] == "已通过"
    assert statuses.index("已退回") > statuses.index("草稿")
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    click_header(page.table, COL_STATUS)
    assert column_values(page.table, COL_STATUS)[0] == "已通过"
