"""Spot-check sampling (docs/domain.md §7): quotas, reproducibility, must-include rules."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.domain.enums import Grade
from app.domain.errors import ValidationFailed
from app.domain.rules import RuleSet, load_rule_set
from app.domain.sampling import (
    RANDOM_REASON,
    SampleCandidate,
    describe_rule,
    draw_sample,
    make_seed,
    must_include_reasons,
    quota_for,
    rank_key,
)
from app.paths import default_rules_path

RULES = load_rule_set(default_rules_path())
WAN = D(10000)


def with_sampling(**changes) -> RuleSet:
    return replace(RULES, sampling=replace(RULES.sampling, **changes))


def section(name: str, codes: list[str], **kw) -> list[SampleCandidate]:
    return [SampleCandidate(code, name, **kw) for code in codes]


ZONGHE = [f"P{i:03d}" for i in range(1, 12)]  # 11 items
NONGYE = ["A01", "A02", "A03", "A04"]
GOLDEN_INPUT = section("综合股", ZONGHE) + section("农业股", NONGYE)


# ---------------------------------------------------------------- quotas


@pytest.mark.parametrize(
    ("population", "quota"),
    [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (11, 3), (15, 3), (16, 4), (100, 20)],
)
def test_quota_is_ratio_rounded_up_at_least_one(population, quota):
    assert quota_for(population, RULES.sampling) == quota


def test_minimum_per_section_is_capped_at_population():
    rules = with_sampling(min_per_section=3).sampling
    assert quota_for(2, rules) == 2
    assert quota_for(5, rules) == 3
    assert quota_for(20, rules) == 4


def test_ratio_from_rule_set():
    assert quota_for(11, with_sampling(ratio=D("0.3")).sampling) == 4  # 3.3 → 4


# ---------------------------------------------------------------- the draw


def test_each_section_draws_its_quota_from_its_own_members():
    sample = draw_sample(GOLDEN_INPUT, "s1", RULES)
    by_name = {s.section: s for s in sample.sections}
    assert (by_name["综合股"].population, by_name["综合股"].drawn) == (11, 3)
    assert (by_name["农业股"].population, by_name["农业股"].drawn) == (4, 1)
    assert set(by_name["综合股"].project_codes) <= set(ZONGHE)
    assert set(by_name["农业股"].project_codes) <= set(NONGYE)
    assert all(item.reasons == (RANDOM_REASON,) for s in sample.sections for item in s.items)


def test_single_item_section_is_always_drawn():
    sample = draw_sample(section("行政股", ["X1"]), "any", RULES)
    assert sample.project_codes == ("X1",)


def test_golden_sample_is_pinned_across_machines():
    """Changing the algorithm (hash, key text, ordering) must fail this test."""
    sample = draw_sample(GOLDEN_INPUT, "2025-spot", RULES)
    assert [(s.section, s.population, s.drawn, s.project_codes) for s in sample.sections] == [
        ("农业股", 4, 1, ("A03",)),
        ("综合股", 11, 3, ("P009", "P004", "P005")),
    ]


def test_rank_key_is_sha256_of_seed_section_code():
    expected = hashlib.sha256("2025-spot:综合股:P009".encode()).hexdigest()
    assert rank_key("2025-spot", "综合股", "P009") == expected


def test_same_seed_same_sample_regardless_of_input_order():
    first = draw_sample(GOLDEN_INPUT, "seed-a", RULES)
    again = draw_sample(list(reversed(GOLDEN_INPUT)), "seed-a", RULES)
    assert first == again


def test_different_seed_different_sample():
    big = section("综合股", [f"Q{i:03d}" for i in range(50)])
    a = draw_sample(big, "seed-a", RULES).project_codes
    b = draw_sample(big, "seed-b", RULES).project_codes
    assert len(a) == len(b) == 10
    assert a != b


def test_make_seed_gives_fresh_hex_seeds():
    seeds = {make_seed() for _ in range(5)}
    assert len(seeds) == 5
    assert all(len(s) == 16 for s in seeds)


def test_duplicate_project_codes_are_refused():
    dup = [SampleCandidate("P1", "综合股"), SampleCandidate("P1", "农业股")]
    with pytest.raises(ValidationFailed, match="P1"):
        draw_sample(dup, "s", RULES)


# ---------------------------------------------------------------- must-include


def test_must_include_rules_each_give_a_reason():
    rules = with_sampling(
        must_include_amount_yuan=500 * WAN,
        must_include_last_grades=(Grade.FAIR, Grade.POOR),
        must_include_full_score_unspent=True,
        must_include_red_at_month=9,
    )
    item = SampleCandidate(
        "P1",
        "综合股",
        amount=500 * WAN,
        self_total=D(100),
        execution_rate=D("0.85"),
        last_year_grade=Grade.POOR,
        red_lamp_months=(6, 9),
    )
    assert must_include_reasons(item, rules) == (
        "必抽：金额500.00万元，达到500万元",
        "必抽：上年评价等级为“差”",
        "必抽：自评满分但预算未执行完（执行率85.00%）",
        "必抽：9月监控为红灯",
    )
    clean = SampleCandidate(
        "P2", "综合股", amount=D(4999999), self_total=D(100), execution_rate=D(1),
        last_year_grade=Grade.GOOD, red_lamp_months=(6,),
    )  # fmt: skip
    assert must_include_reasons(clean, rules) == ()


def test_must_include_rules_are_off_by_default():
    item = SampleCandidate("P1", "综合股", amount=10**9 * WAN, last_year_grade=Grade.POOR)
    assert must_include_reasons(item, RULES) == ()


def test_must_include_counts_towards_quota_and_random_fills_the_rest():
    rules = with_sampling(must_include_last_grades=(Grade.POOR,))
    poor = SampleCandidate("P011", "综合股", last_year_grade=Grade.POOR)
    pool = [*section("综合股", ZONGHE[:10]), poor]
    drawn = draw_sample(pool, "2025-spot", rules).sections[0]
    assert drawn.quota == 3
    assert drawn.drawn == 3
    assert drawn.items[0].project_code == "P011"
    assert drawn.items[0].reasons == ("必抽：上年评价等级为“差”",)
    # the random part is the golden order minus the must-include item
    assert drawn.project_codes[1:] == ("P009", "P004")
    assert all(item.is_random for item in drawn.items[1:])


def test_more_must_include_than_quota_draws_them_all():
    rules = with_sampling(must_include_amount_yuan=100 * WAN)
    pool = section("综合股", ["B1", "B2", "B3"], amount=200 * WAN) + section(
        "综合股", ["C1", "C2", "C3", "C4", "C5"]
    )
    drawn = draw_sample(pool, "s", rules).sections[0]
    assert drawn.quota == 2
    assert drawn.project_codes == ("B1", "B2", "B3")


def test_rule_text_is_recorded_with_the_sample():
    rules = with_sampling(must_include_red_at_month=9)
    sample = draw_sample(GOLDEN_INPUT, "s", rules)
    assert sample.seed == "s"
    assert sample.rule_text == describe_rule(rules)
    assert "20.00%" in sample.rule_text
    assert "9月监控红灯" in sample.rule_text
