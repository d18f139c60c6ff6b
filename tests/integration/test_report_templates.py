"""The annual report's editable wording: placeholders, and clear Chinese errors naming the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.errors import UserError
from app.reports import Heading
from app.services.reports.annual_data import annual_report_data
from app.services.reports.annual_doc import annual_report_document
from app.services.reports.templates import Templates, bundled_template_path, fill
from app.storage.models import Setting
from tests import factories

TODAY = dt.date(2026, 3, 5)


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s)
        s.add(Setting(key="county.name", value="示例县"))
    return db


def edited(tmp_path: Path, old: str, new: str) -> Templates:
    text = bundled_template_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "annual_report.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return Templates.load(path)


def build(db, rules, templates: Templates):
    return annual_report_document(annual_report_data(db, 2025, rules), templates, TODAY)


def test_a_clerk_can_change_the_wording(county, rules, tmp_path):
    templates = edited(
        tmp_path,
        'intro = "{year}年，{bureau}认真贯彻',
        'intro = "今年（{year}年）共有{project_goal_count}个项目目标。{{注}}{bureau}认真贯彻',
    )
    document = build(county, rules, templates)
    expected = "今年（2025年）共有12个项目目标。{注}示例县财政局"  # bureau: “<county>财政局”
    assert document.blocks[0].plain_text.startswith(expected)


def test_unknown_placeholder_names_the_template_key(county, rules, tmp_path):
    templates = edited(tmp_path, "{project_goal_count}个，金额", "{project_goals}个，金额")
    with pytest.raises(UserError) as caught:
        build(county, rules, templates)
    assert (
        "报告文字模板“basic.goals.text”中的占位符 {project_goals} 无法识别" in caught.value.message
    )


def test_unknown_placeholder_in_a_list_item_names_the_item(county, rules, tmp_path):
    templates = edited(tmp_path, "提高绩效指标的细化", "提高{quality}绩效指标的细化")
    with pytest.raises(UserError, match=r"“plans\.items\[1\]”中的占位符 \{quality\} 无法识别"):
        build(county, rules, templates)


def test_unbalanced_braces_and_missing_keys(county, rules, tmp_path):
    with pytest.raises(UserError, match=r"“report\.title”中的花括号不成对"):
        build(county, rules, edited(tmp_path, "关于{county}", "关于{county"))
    not_a_text = edited(tmp_path, 'missing = "（本年度尚未开展绩效运行监控', "missing = 3 #")
    with pytest.raises(UserError, match=r"报告文字模板“basic\.monitoring\.missing”应为一段文字"):
        build(county, rules, not_a_text)


def test_a_copy_made_before_a_section_was_added_takes_the_bundled_wording(county, rules, tmp_path):
    text = bundled_template_path().read_text(encoding="utf-8")
    start = text.index("[basic.government_assessment]")
    old = text[:start] + text[text.index("[basic.disclosure]") :]
    old = old.replace('heading = "组织保障"', 'heading = "加强组织领导"')
    path = tmp_path / "annual_report.toml"
    path.write_text(old, encoding="utf-8")
    document = build(county, rules, Templates.load(path))
    headings = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings[0] == "加强组织领导"  # the clerk's own wording wins
    assert "纳入政府绩效考核" in headings  # the section the copy lacks, from the bundled file


def test_a_figure_without_data_in_a_section_text_is_refused(county, rules, tmp_path):
    templates = edited(tmp_path, "共设置绩效指标{indicator_count}个。", "监控{round_count}轮。")
    with pytest.raises(
        UserError, match=r"“basic.goals.text”用到了2025年尚无数据的占位符 \{round_count\}"
    ):
        build(county, rules, templates)


def test_a_damaged_file_is_a_user_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[report\ntitle = "x"', encoding="utf-8")
    with pytest.raises(UserError, match="格式有误"):
        Templates.load(path)
    with pytest.raises(UserError, match="无法读取报告文字模板"):
        Templates.load(tmp_path / "missing.toml")


def test_fill_replaces_and_checks():
    assert fill("{a}与{b}", "k", {"a": "甲", "b": "乙"}) == "甲与乙"
    with pytest.raises(UserError, match=r"“k”中的占位符 \{c\} 无法识别"):
        fill("{c}", "k", {"a": "甲"})


def test_settings_missing_fall_back_to_generic_names(db, rules):
    with db.transaction() as s:
        factories.small_county(s)
        assert s.scalar(select(Setting).where(Setting.key == "county.bureau")) is None
    document = build(db, rules, Templates.load(bundled_template_path()))
    assert document.title == "关于本县2025年度预算绩效管理工作情况的报告"
    assert document.signature.org == "本县财政局"  # no names entered yet
