"""The 操作日志 queries: filters by object, user and date; before → after in Chinese."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.services.common import audit
from app.services.common.audit_log import (
    audit_filter_choices,
    changes_summary,
    diff_fields,
    list_audit,
)
from app.storage.models import AuditEntry


@pytest.fixture
def logged(db):
    """Entries by two users on three days, written as audit.record() writes them."""
    rows = [
        (
            datetime(2025, 3, 1, 9),
            "zhang",
            "张三",
            "create",
            "project",
            1,
            None,
            {"name": "营养餐"},
        ),
        (
            datetime(2025, 3, 2, 10),
            "zhang",
            "张三",
            "update",
            "project",
            1,
            {"name": "营养餐", "total_amount": "100.00"},
            {"name": "营养改善计划", "total_amount": "120.00"},
        ),
        (
            datetime(2025, 3, 2, 23, 59),
            "li",
            "",
            "update",
            "goal",
            7,
            {"status": "草稿"},
            {"status": "待审核"},
        ),
        (datetime(2025, 3, 3, 8), "li", "", "delete", "project", 2, {"name": "旧项目"}, None),
    ]
    with db.transaction() as s:
        for at, user, shown, action, kind, oid, before, after in rows:
            s.add(
                AuditEntry(
                    at=at,
                    user=user,
                    display_name=shown,
                    action=action,
                    object_type=kind,
                    object_id=oid,
                    object_label=f"{kind}{oid}",
                    before_json=audit._dump(before),
                    after_json=audit._dump(after),
                )
            )
    return db


def test_entries_come_newest_first_with_before_and_after_parsed(logged):
    entries = list_audit(logged)
    assert [e.at.day for e in entries] == [3, 2, 2, 1]
    update = entries[2]
    assert update.before == {"name": "营养餐", "total_amount": "100.00"}
    assert update.action_label == "修改" and update.object_type_label == "项目"
    assert update.who == "张三（zhang）" and entries[0].who == "li"
    assert update.summary == "名称：营养餐 → 营养改善计划；资金总额：100.00 → 120.00"


def test_filter_by_object(logged):
    assert [e.object_id for e in list_audit(logged, object_type="project")] == [2, 1, 1]
    assert [e.action for e in list_audit(logged, object_type="project", object_id=1)] == [
        "update",
        "create",
    ]


def test_filter_by_os_user_or_display_name(logged):
    assert {e.user for e in list_audit(logged, user="张三")} == {"zhang"}
    assert len(list_audit(logged, user="li")) == 2
    assert list_audit(logged, user="nobody") == []


def test_filter_by_date_covers_whole_days(logged):
    assert [
        e.at.day for e in list_audit(logged, since=date(2025, 3, 2), until=date(2025, 3, 2))
    ] == [
        2,
        2,
    ]
    assert len(list_audit(logged, since=datetime(2025, 3, 2, 12))) == 2
    assert len(list_audit(logged, until=datetime(2025, 3, 2, 10))) == 2
    assert len(list_audit(logged, limit=1)) == 1


def test_filter_choices_list_what_is_present(logged):
    choices = audit_filter_choices(logged)
    assert choices.object_types == (("goal", "绩效目标"), ("project", "项目"))
    assert choices.users == ("li", "zhang", "张三")


def test_entries_written_by_the_audit_helper_read_back(db):
    with db.transaction() as s:
        audit.record(
            s, "update", "goal", 3, "目标3", before={"status": "草稿"}, after={"status": "待审核"}
        )
    (entry,) = list_audit(db, user=audit.os_user())
    assert entry.summary == "状态：草稿 → 待审核"
    assert entry.changes[0].field == "status"


def test_summaries_of_creation_deletion_and_odd_values():
    assert changes_summary({}, {"name": "甲", "is_active": True}) == "新建：名称：甲；is_active：是"
    assert changes_summary({"name": "甲"}, {}) == "删除：名称：甲"
    assert changes_summary({"unit": ""}, {"unit": "人"}) == "计量单位：（空） → 人"
    assert changes_summary({"name": "甲"}, {"name": "甲"}) == "无字段变化"
    assert [c.field for c in diff_fields({"a": 1, "b": 2}, {"b": 3, "c": 4})] == ["a", "b", "c"]


def test_unparsable_json_is_shown_not_fatal(db):
    with db.transaction() as s:
        s.add(
            AuditEntry(
                at=datetime(2025, 1, 1),
                user="u",
                action="update",
                object_type="project",
                before_json="not json",
                after_json="",
            )
        )
    (entry,) = list_audit(db)
    assert entry.before == {"内容": "not json"} and entry.summary == "删除：内容：not json"
