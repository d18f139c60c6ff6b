"""The annual report's wording per year in the database: a year prints its own wording (else
the shipped one), last year's is only offered, every wrong section is named, and the CLI's
`--templates FILE` still overrides it for one run."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.errors import ValidationFailed
from app.main import main
from app.reports import Heading
from app.services.reports import ReportKind, ReportRequest, build_report
from app.services.reports.templates import bundled_template_path
from app.services.reports.wording import (
    placeholder_names,
    preview,
    previous_wording,
    save_wording,
    sections,
    shipped_wording,
    with_sections,
    wording_for_year,
    year_values,
)
from app.storage.models import AuditEntry, FiscalYear, Setting, YearWording
from tests import factories

INTRO = "report.intro"


@pytest.fixture
def county(db):
    with db.transaction() as s:
        factories.small_county(s)  # 2025
        factories.year(s, 2026)
        s.add(Setting(key="county.name", value="示例县"))
    return db


def paragraphs(db, year: int, rules) -> list[str]:
    document = build_report(db, ReportRequest(ReportKind.ANNUAL, year), rules)
    return [getattr(b, "plain_text", "") for b in document.blocks]


def edited(text: str, key: str, new: str) -> str:
    return with_sections(text, {key: new})


def test_a_year_prints_its_own_wording_and_no_other_years(county, rules):
    assert not wording_for_year(county, 2025).own
    save_wording(
        county, 2025, edited(shipped_wording(), INTRO, "{year}年，本县共{project_count}个项目。")
    )
    assert "2025年，本县共12个项目。" in paragraphs(county, 2025, rules)
    assert wording_for_year(county, 2025).own
    assert not wording_for_year(county, 2026).own  # never reused silently
    assert any(
        p.startswith("2026年，示例县财政局认真贯彻") for p in paragraphs(county, 2026, rules)
    )
    offered = previous_wording(county, 2026)
    assert offered is not None and offered.year == 2025
    assert previous_wording(county, 2025) is None


def test_edited_sections_keep_every_other_line_of_the_file():
    text = edited(
        shipped_wording(), "problems.items[2]", "目标编制仍需改进（{returned_goal_count}个）。"
    )
    by_key = {s.key: s.text for s in sections(text)}
    assert by_key["problems.items[2]"] == "目标编制仍需改进（{returned_goal_count}个）。"
    assert by_key["problems.items[1]"].startswith("部分项目预算执行进度偏慢")
    assert "# 可用占位符" in text  # the comments stay
    assert len(sections(text)) == len(sections(shipped_wording()))


def test_every_wrong_section_is_named_and_nothing_saved(county):
    text = with_sections(
        shipped_wording(),
        {INTRO: "{year年", "basic.goals.text": "共{project_goals}个"},
    )
    with pytest.raises(ValidationFailed) as caught:
        save_wording(county, 2025, text)
    shown = [p.message for p in caught.value.problems]
    assert any("“report.intro”中的花括号不成对" in m for m in shown)
    assert any("“basic.goals.text”中的占位符 {project_goals} 无法识别" in m for m in shown)
    assert not wording_for_year(county, 2025).own


def test_the_preview_fills_this_years_figures_and_marks_missing_ones(county, rules):
    values = year_values(county, 2025, rules)
    assert preview("共{project_count}个项目", "k", values) == "共12个项目"
    assert preview("{latest_red}个红灯", "k", values) == "【无数据：latest_red】个红灯"


def test_saving_is_audited_with_the_changed_sections(county):
    save_wording(county, 2025, edited(shipped_wording(), INTRO, "新的开头。"))
    with county.session() as session:
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.object_label.contains("报告文字"))
        ).all()
    assert "新的开头。" in entry.after_json and "report.intro" in entry.after_json


def test_the_cli_templates_file_overrides_the_year_for_one_run(county, tmp_path, capsys):
    save_wording(county, 2025, edited(shipped_wording(), INTRO, "数据库中的开头。"))
    override = tmp_path / "一次性.toml"
    override.write_text(edited(shipped_wording(), INTRO, "文件中的开头。"), encoding="utf-8")
    out = tmp_path / "年度报告.docx"
    argv = ["--db", str(county.target), "report", "annual", "--year", "2025", "--out", str(out)]
    assert main([*argv, "--templates", str(override)]) == 0
    from docx import Document as Docx

    body = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "文件中的开头。" in body and "数据库中的开头。" not in body
    assert main(argv) == 0
    body = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "数据库中的开头。" in body
    assert bundled_template_path().is_file()


def test_every_section_and_placeholder_is_named_in_chinese():
    labels = {s.key: s.label for s in sections(shipped_wording())}
    assert labels["basic.goals.text"] == "绩效目标管理 · 正文"
    assert labels["basic.rectification.text"] == "整改 · 正文"
    assert labels["problems.items[2]"] == "存在的问题 · 第2条"
    assert labels["report.intro"] == "报告 · 开头"
    described = dict(placeholder_names())
    assert described["latest_red"] == "最近一轮各色预警灯项目数"
    assert described["county"] == "县名"
    assert all(described.values()), [n for n, t in described.items() if not t]


def test_a_year_saved_before_a_section_was_added_prints_and_edits_it(county, rules):
    text = shipped_wording()
    start = text.index("[basic.government_assessment]")
    old = text[:start] + text[text.index("[basic.disclosure]") :]
    old = old.replace('heading = "组织保障"', 'heading = "加强组织领导"')
    with county.transaction() as session:  # as a year saved by an earlier version
        fiscal = session.scalar(select(FiscalYear).where(FiscalYear.year == 2025))
        session.add(YearWording(year_id=fiscal.id, annual_report_toml=old))
    stored = wording_for_year(county, 2025)
    keys = {s.key for s in sections(stored.text)}
    assert "basic.government_assessment.text" in keys  # offered in the editor
    document = build_report(county, ReportRequest(ReportKind.ANNUAL, 2025), rules)
    shown = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2]
    assert shown[0] == "加强组织领导"  # the year's own wording wins
    assert "纳入政府绩效考核" in shown  # the section it lacked, in the shipped words
