"""设置 service: display name (used by audit.actor), backup policy passthrough, rule set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import UserError, ValidationFailed
from app.paths import default_rules_path
from app.services.common import audit
from app.services.common.audit_log import list_audit
from app.services.common.backups import backup_policy as policy_in_backups
from app.services.common.settings import (
    RotationPolicy,
    operator_settings,
    rule_set_summary,
    set_backup_policy,
    set_display_name,
)
from app.services.common.year_rules import rules_text_for_year, save_year_rules
from app.services.setup import operator
from app.storage.database import open_database
from app.storage.models import YearRules
from tests import factories


def test_without_a_display_name_the_actor_is_unnamed_never_the_os_login(db):
    settings = operator_settings(db)
    assert settings.display_name == ""
    assert settings.actor == "未署名" and settings.os_user == audit.os_user()


def test_the_display_name_is_saved_and_used_by_the_audit_trail(db):
    saved = set_display_name(db, "  张 三  ")
    assert saved.display_name == saved.actor == "张 三"
    with db.session() as s:
        assert audit.actor(s) == "张 三"
    (entry,) = list_audit(db, object_type="settings")
    assert entry.display_name == "张 三"  # the change itself is recorded under the new name
    assert entry.user == audit.os_user()
    assert entry.before == {"操作人员姓名": ""} and entry.after == {"操作人员姓名": "张 三"}
    assert entry.summary == "操作人员姓名：（空） → 张 三"
    assert entry.who == f"张 三（{audit.os_user()}）"


def test_saving_the_same_name_writes_no_audit_entry(db):
    set_display_name(db, "李四")
    set_display_name(db, "李四")
    assert len(list_audit(db, object_type="settings")) == 1


def test_clearing_the_display_name_leaves_the_actor_unnamed(db):
    set_display_name(db, "李四")
    assert set_display_name(db, "").actor == "未署名"


def test_a_too_long_name_is_refused(db):
    with pytest.raises(UserError, match="最多 30 个字"):
        set_display_name(db, "名" * 31)
    assert operator_settings(db).display_name == ""


def test_the_backup_policy_passes_through_to_the_backup_service(db):
    set_backup_policy(db, RotationPolicy(keep_last=3, daily=5, weekly=2, monthly=6))
    assert policy_in_backups(db) == RotationPolicy(3, 5, 2, 6)


def test_a_year_reads_the_default_rules_until_it_gets_its_own(db):
    with db.transaction() as s:
        factories.year(s, 2025)
    assert rules_text_for_year(db, 2025).source_year is None
    text = default_rules_path().read_text(encoding="utf-8")
    assert (
        save_year_rules(db, 2025, text.replace("默认规则（全国通用）", "示例县规则")).name
        == "示例县规则"
    )
    assert rules_text_for_year(db, 2025).own
    assert rule_set_summary(db, 2025).name == "示例县规则"


def test_broken_rules_are_refused_and_nothing_changes(db):
    with db.transaction() as s:
        factories.year(s, 2025)
    with pytest.raises(ValidationFailed):
        save_year_rules(db, 2025, "name = 1\n")
    assert not rules_text_for_year(db, 2025).own


def test_the_summary_shows_weights_grades_lamps_and_sampling(db):
    summary = rule_set_summary(db, None)
    assert summary.source_year is None and summary.problem == ""
    assert summary.name == "默认规则（全国通用）"
    assert summary.weights == (
        ("预算执行率", Decimal(10)),
        ("产出指标", Decimal(50)),
        ("效益指标", Decimal(30)),
        ("满意度指标", Decimal(10)),
    )
    assert sum(points for _name, points in summary.weights) == summary.total_points == 100
    assert summary.grade_bands == (
        ("优", "90 分及以上"),
        ("良", "80 分至不足 90 分"),
        ("中", "60 分至不足 80 分"),
        ("差", "0 分至不足 60 分"),
    )
    assert summary.budget_lamps[0] == ("红灯", "执行率不足序时进度的 60%")
    assert summary.indicator_lamps[-1] == (
        "蓝灯",
        "完成值达到序时目标的 120% 及以上（目标可能偏低）",
    )
    assert summary.sampling_ratio == Decimal("0.2") and summary.sampling_min_per_section == 1


def test_broken_stored_rules_are_reported_not_raised(db):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        s.add(YearRules(year_id=fy.id, rules_toml="name = 1\n"))
    summary = rule_set_summary(db, 2025)
    assert "name：应为文字" in summary.problem and summary.weights == ()


def test_changing_a_year_never_changes_a_later_year_reading_it(db):
    """2025 and 2026 have no rules of their own yet and read 2024's (here the default)."""
    with db.transaction() as s:
        for value in (2024, 2025, 2026):
            factories.year(s, value)
    text = default_rules_path().read_text(encoding="utf-8")
    save_year_rules(db, 2026, text.replace("ratio = 0.2", "ratio = 0.4", 1))
    save_year_rules(db, 2024, text.replace("ratio = 0.2", "ratio = 0.5", 1))
    assert rules_text_for_year(db, 2025).own  # frozen with what it read before
    assert str(rule_set_summary(db, 2025).sampling_ratio) == "0.2"
    assert str(rule_set_summary(db, 2026).sampling_ratio) == "0.4"
    assert str(rule_set_summary(db, 2024).sampling_ratio) == "0.5"


def test_the_name_is_the_seats_own_never_the_shared_databases(db):
    """Seat A signs as 张三; seat B, on the same database, is not named 张三 by it."""
    set_display_name(db, "张三")  # seat A
    operator.choose("")  # seat B starts: nothing chosen there yet
    assert operator_settings(db).actor == "未署名"
    with db.session() as s:
        assert operator.known_operators(s) == ["张三"]  # offered at B's sign-in
    operator.choose("李四")
    pre_count = len(list_audit(db))
    set_display_name(db, "李四")  # same name again: nothing to record
    assert len(list_audit(db)) == pre_count


def test_the_cli_signs_as_the_operator_option_or_the_environment(tmp_path, monkeypatch):
    from app.main import main

    monkeypatch.setenv("BPM_OPERATOR", "赵六")
    signed = {}
    for name, extra in (("环境变量", []), ("选项", ["--operator", "钱七"])):
        path = tmp_path / f"{name}.sqlite3"
        init = ["init", "--county", "青山县", "--year", "2026"]
        assert main(["--db", str(path), *extra, *init]) == 0
        opened = open_database(path)
        signed[name] = {e.display_name for e in list_audit(opened)}
        opened.close()
    assert signed == {"环境变量": {"赵六"}, "选项": {"钱七"}}
