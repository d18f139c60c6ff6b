"""Drawing the 抽查复核 sample through the service: quotas, reproducibility, records."""

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import Grade
from app.domain.errors import UserError
from app.services.setup import operator
from app.services.spotcheck import MustInclude, draw_sample, sample_summary, start_review
from app.storage.database import open_database
from app.storage.models import (
    AuditEntry,
    Department,
    MonitoringEntry,
    MonitoringRound,
    SpotCheckBatch,
)
from tests import factories


def _county(db, per_department=3, year=2025):
    with db.transaction() as s:
        projects = factories.small_county(s, year, per_department=per_department)
        for p in projects:
            factories.self_evaluation(s, p)
    return projects


def test_each_section_gets_its_ratio_rounded_up(db, rules):
    _county(db)  # 6 evaluations per section
    result = draw_sample(db, 2025, rules, seed=1)
    assert [(s.section, s.population, s.quota, s.drawn) for s in result.sections] == [
        ("教科文股", 6, 2, 2),  # ceil(0.2 × 6) = 2
        ("农业农村股", 6, 2, 2),
    ]
    wider = draw_sample(db, 2025, rules, seed=1, ratio=D("0.5"), replace=True)
    assert [s.drawn for s in wider.sections] == [3, 3]


def test_a_small_section_still_gets_one(db, rules):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "401001", "县档案馆", "行政政法股")
        p = factories.project_with_goal(s, fy, dept, factories.ProjectSpec("401001001"))
        factories.self_evaluation(s, p)
    (only,) = draw_sample(db, 2025, rules, seed=3, ratio=D("0.01")).sections
    assert (only.population, only.drawn, only.project_codes) == (1, 1, ("401001001",))


def test_the_same_seed_draws_the_same_sample_in_another_database(tmp_path: Path, rules):
    drawn = []
    for name in ("a.sqlite3", "b.sqlite3"):
        other = open_database(tmp_path / name)
        try:
            _county(other, per_department=5)
            drawn.append(draw_sample(other, 2025, rules, seed=20250101).project_codes)
        finally:
            other.close()
    assert drawn[0] == drawn[1]
    assert len(drawn[0]) == 4  # 10 per section → 2 each


def test_different_seeds_differ_somewhere(db, rules):
    _county(db, per_department=5)
    samples = {
        draw_sample(db, 2025, rules, seed=seed, replace=True).project_codes for seed in range(6)
    }
    assert len(samples) > 1


def test_the_draw_is_recorded_with_who_when_seed_and_rule(db, rules):
    _county(db)
    operator.choose("王会计")  # this seat's operator
    result = draw_sample(db, 2025, rules, seed=77)
    with db.session() as s:
        batch = s.scalars(select(SpotCheckBatch)).one()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "抽取复核样本")).one()
        reasons = {sample.reason for sample in batch.samples}
    assert (batch.seed, batch.drawn_by, batch.ratio) == (77, "王会计", D("0.2"))
    rule = json.loads(batch.rule_json)
    assert rule["rule"].startswith("每个股室按 20.00% 向上取整抽取")
    assert rule["sections"][0] == {"section": "农业农村股", "population": 6, "quota": 2}
    assert reasons == {"随机抽取"}
    assert audit.display_name == "王会计"
    assert sample_summary(db, 2025) == result
    assert (result.drawn_by, result.seed, result.drawn) == ("王会计", 77, 4)


def test_a_second_draw_needs_replace_and_replace_stops_once_reviewing(db, rules):
    _county(db)
    first = draw_sample(db, 2025, rules, seed=5)
    with pytest.raises(UserError, match=r"2025年已于.*抽取复核样本（随机种子 5）"):
        draw_sample(db, 2025, rules, seed=6)
    second = draw_sample(db, 2025, rules, seed=6, replace=True)
    assert (first.seed, second.seed) == (5, 6)
    with db.session() as s:
        assert [b.seed for b in s.scalars(select(SpotCheckBatch))] == [6]  # replaced
    start_review(db, second.sections[0].items[0].sample_id)
    with pytest.raises(UserError, match="已开始复核，不能重新抽取"):
        draw_sample(db, 2025, rules, seed=7, replace=True)


def test_a_year_without_self_evaluations_cannot_be_drawn(db, rules):
    with db.transaction() as s:
        factories.small_county(s, 2025, per_department=1)
    with pytest.raises(UserError, match="2025年没有绩效自评"):
        draw_sample(db, 2025, rules)
    with pytest.raises(UserError, match="没有2031年度的数据"):
        draw_sample(db, 2031, rules)


def test_must_include_large_amounts_even_beyond_the_quota(db, rules):
    _county(db)  # amounts: 10-90万元; 301002xxx are 20, 40, 60万元
    result = draw_sample(db, 2025, rules, seed=1, must_include=MustInclude(amount_wan=D(50)))
    musts = {i.project_code: i.reason for s in result.sections for i in s.items}
    big = ["219002003", "301002003"]  # 60万元 each
    for code in big:
        assert musts[code] == "必抽：金额60.00万元，达到50万元"
    assert [s.drawn for s in result.sections] == [2, 2]


def test_must_include_last_years_poor_grade_and_a_red_lamp_at_september(db, rules):
    projects = _county(db)
    with db.transaction() as s:
        last_year = factories.year(s, 2024)
        d = s.get(Department, projects[0].department_id)
        old = factories.project_with_goal(s, last_year, d, factories.ProjectSpec("219001003"))
        factories.self_evaluation(s, old, claimed_total="55", claimed_grade="差")
        red = next(p for p in projects if p.code == "301001002")
        rnd = MonitoringRound(year_id=red.year_id, month=9)
        rnd.entries.append(
            MonitoringEntry(
                project_id=red.id, initial_budget=D(200000), adjusted_budget=D(200000),
                spent=D(10000),
            )
        )  # fmt: skip
        s.add(rnd)
    must = MustInclude(last_grades=(Grade.FAIR, Grade.POOR), red_at_month=9)
    result = draw_sample(db, 2025, rules, seed=1, must_include=must)
    reasons = {i.project_code: i.reason for s in result.sections for i in s.items}
    assert reasons["219001003"] == "必抽：上年评价等级为“差”"
    assert reasons["301001002"] == "必抽：9月监控为红灯"
