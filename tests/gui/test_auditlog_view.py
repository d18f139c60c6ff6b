"""操作日志 view: filters by object type, user and dates; the detail pane shows before → after."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate

from app.storage.database import Database
from app.storage.models import AuditEntry
from app.ui.auditlog.view import AuditLogView
from tests.gui.helpers import column_values

ENTRIES = [
    # at, user, display name, action, type, id, label, before, after
    (datetime(2025, 3, 1, 9, 0), "zhang", "张三", "update", "goal", 7, "义务教育营养改善计划",
     {"status": "草稿", "overall_target": "旧目标"},
     {"status": "待审核", "overall_target": "新目标"}),
    (datetime(2025, 3, 5, 10, 30), "li", "", "delete", "project", 3, "21900120250003 校舍维修",
     {"code": "21900120250003", "name": "校舍维修"}, {}),
    (datetime(2025, 4, 2, 15, 0), "zhang", "张三", "update", "settings", None, "备份保留份数",
     {"daily": 7}, {"daily": 10}),
]  # fmt: skip


@pytest.fixture
def audited(db: Database) -> Database:
    with db.transaction() as s:
        for at, user, name, action, kind, object_id, label, before, after in ENTRIES:
            s.add(
                AuditEntry(
                    at=at,
                    user=user,
                    display_name=name,
                    action=action,
                    object_type=kind,
                    object_id=object_id,
                    object_label=label,
                    before_json=json.dumps(before, ensure_ascii=False),
                    after_json=json.dumps(after, ensure_ascii=False) if after else "",
                )
            )
    return db


@pytest.fixture
def view(qtbot, audited: Database) -> AuditLogView:  # type: ignore[no-untyped-def]
    widget = AuditLogView(audited)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.reload()
    return widget


def choose(combo, label: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(label)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def test_everything_is_listed_newest_first(view):
    assert view.model.rowCount() == 3
    assert column_values(view.table, 0) == [
        "2025-04-02 15:00:00",
        "2025-03-05 10:30:00",
        "2025-03-01 09:00:00",
    ]
    assert column_values(view.table, 1) == ["张三（zhang）", "li", "张三（zhang）"]
    assert column_values(view.table, 2) == ["修改", "删除", "修改"]
    assert column_values(view.table, 3)[1] == "项目　21900120250003 校舍维修"
    assert column_values(view.table, 4)[0] == "保留每日备份：7 → 10"
    assert view.count_label.text() == "共 3 条"


def test_filter_choices_come_from_the_log(view):
    objects = [view.object_combo.itemText(i) for i in range(view.object_combo.count())]
    users = [view.user_combo.itemText(i) for i in range(view.user_combo.count())]
    assert objects == ["（全部）", "绩效目标", "项目", "设置"]
    assert users == ["（全部）", "li", "zhang", "张三"]


def test_filtering_by_object_type_and_user(view):
    choose(view.object_combo, "项目")
    assert column_values(view.table, 2) == ["删除"]
    choose(view.object_combo, "（全部）")
    choose(view.user_combo, "张三")
    assert view.model.rowCount() == 2
    choose(view.object_combo, "绩效目标")
    assert column_values(view.table, 3) == ["绩效目标　义务教育营养改善计划"]


def test_filtering_by_date_range(view):
    view.date_check.setChecked(True)
    view.since_edit.setDate(QDate(2025, 3, 1))
    view.until_edit.setDate(QDate(2025, 3, 31))
    assert column_values(view.table, 0) == ["2025-03-05 10:30:00", "2025-03-01 09:00:00"]
    view.since_edit.setDate(QDate(2025, 3, 5))
    assert view.model.rowCount() == 1
    view.date_check.setChecked(False)
    assert view.model.rowCount() == 3


def test_the_detail_pane_shows_each_field_before_and_after(view, qtmodeltester):
    view.table.selectRow(2)
    assert (
        "张三（zhang）" in view.detail_title.text() and "修改绩效目标" in view.detail_title.text()
    )
    rows = [
        [view.changes.index(r, c).data() for c in range(3)] for r in range(view.changes.rowCount())
    ]
    assert rows == [["状态", "草稿", "待审核"], ["总体目标", "旧目标", "新目标"]]
    view.table.selectRow(1)
    assert [view.changes.index(r, 2).data() for r in range(2)] == ["（空）", "（空）"]
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.changes)


def test_a_reload_keeps_the_chosen_filter(view, audited):
    choose(view.object_combo, "项目")
    view.reload()
    assert view.object_combo.currentText() == "项目" and view.model.rowCount() == 1


def test_the_default_date_range_is_the_last_30_days(view):
    since = view.since_edit.date()
    assert (date.today() - date(since.year(), since.month(), since.day())).days == 30
    assert not view.since_edit.isEnabled()
