"""Spot-check sampling (抽查复核, docs/domain.md §7): per 股室, random but reproducible.

The draw, per section:
1. quota = max(ceil(ratio × population), min(min_per_section, population)).
2. Must-include items (rules in ``SamplingRules``) are all drawn and count towards the
   quota; if they exceed it, all of them are still drawn (drawn > quota).
3. The rest of the quota is filled from the other candidates ranked by
   ``SHA-256(f"{seed}:{section}:{project_code}")`` (hex digest, then project code), taking
   the first ones.

Why not ``random``: ``Random.sample``/``shuffle`` are not promised to give the same result
across Python versions, and set/dict order must not leak in. SHA-256 of UTF-8 text is the
same on every machine, so a recorded seed re-creates the sample exactly (the golden test in
tests/unit/domain/test_sampling.py pins it). The drawn order is: must-include items by
project code, then random items in rank order.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from app.domain.enums import Grade
from app.domain.errors import Problem, ValidationFailed
from app.domain.money import YUAN_PER_WAN, format_percent
from app.domain.numbers import plain, wan
from app.domain.rules import RuleSet, SamplingRules

RANDOM_REASON = "随机抽取"


@dataclass(frozen=True)
class SampleCandidate:
    """A self-evaluation that may be drawn."""

    project_code: str
    section: str  # 股室
    amount: Decimal = Decimal(0)  # 全年预算数, 元
    self_total: Decimal | None = None  # the department's claimed total
    execution_rate: Decimal | None = None  # B/A as a ratio
    last_year_grade: Grade | None = None
    red_lamp_months: tuple[int, ...] = ()  # monitoring months in which the project was red


@dataclass(frozen=True)
class DrawnItem:
    project_code: str
    reasons: tuple[str, ...]  # RANDOM_REASON, or every must-include rule it met

    @property
    def is_random(self) -> bool:
        return self.reasons == (RANDOM_REASON,)


@dataclass(frozen=True)
class SectionSample:
    section: str
    population: int
    quota: int
    items: tuple[DrawnItem, ...]

    @property
    def drawn(self) -> int:
        return len(self.items)

    @property
    def project_codes(self) -> tuple[str, ...]:
        return tuple(item.project_code for item in self.items)


@dataclass(frozen=True)
class Sample:
    seed: str
    rule_text: str  # recorded with the sample, so the draw can be explained later
    sections: tuple[SectionSample, ...]

    @property
    def project_codes(self) -> tuple[str, ...]:
        return tuple(code for s in self.sections for code in s.project_codes)


def make_seed() -> str:
    """A fresh seed to record with a new draw (16 hex digits)."""
    return secrets.token_hex(8)


def quota_for(population: int, rules: SamplingRules) -> int:
    """How many to draw from a section: the ratio rounded up, at least the minimum."""
    if population <= 0:
        return 0
    by_ratio = int((rules.ratio * population).to_integral_value(rounding=ROUND_CEILING))
    return min(population, max(by_ratio, rules.min_per_section))


def rank_key(seed: str, section: str, project_code: str) -> str:
    """The sort key of the random part: platform- and version-independent."""
    text = f"{seed}:{section}:{project_code}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def must_include_reasons(candidate: SampleCandidate, rules: RuleSet) -> tuple[str, ...]:
    """Every must-include rule the candidate meets (empty when none is switched on or met)."""
    s = rules.sampling
    reasons = []
    if s.must_include_amount_yuan > 0 and candidate.amount >= s.must_include_amount_yuan:
        limit = plain(s.must_include_amount_yuan / YUAN_PER_WAN)
        reasons.append(f"必抽：金额{wan(candidate.amount)}万元，达到{limit}万元")
    last = candidate.last_year_grade
    if last is not None and last in s.must_include_last_grades:
        reasons.append(f"必抽：上年评价等级为“{last.value}”")
    if s.must_include_full_score_unspent and _full_score_unspent(candidate, rules):
        rate = format_percent(candidate.execution_rate)
        reasons.append(f"必抽：自评满分但预算未执行完（执行率{rate}）")
    month = s.must_include_red_at_month
    if month and month in candidate.red_lamp_months:
        reasons.append(f"必抽：{month}月监控为红灯")
    return tuple(reasons)


def _full_score_unspent(candidate: SampleCandidate, rules: RuleSet) -> bool:
    return (
        candidate.self_total is not None
        and candidate.self_total >= rules.goals.total_points
        and candidate.execution_rate is not None
        and candidate.execution_rate < 1
    )


def draw_sample(candidates: Iterable[SampleCandidate], seed: str, rules: RuleSet) -> Sample:
    """Draw the spot-check sample; raises ValidationFailed on duplicate project codes."""
    pool = list(candidates)
    _check_unique(pool)
    sections: dict[str, list[SampleCandidate]] = {}
    for candidate in pool:
        sections.setdefault(candidate.section, []).append(candidate)
    drawn = tuple(_draw_section(name, sections[name], seed, rules) for name in sorted(sections))
    return Sample(seed, describe_rule(rules), drawn)


def _check_unique(pool: Sequence[SampleCandidate]) -> None:
    seen: set[str] = set()
    problems = []
    for candidate in pool:
        if candidate.project_code in seen:
            problems.append(Problem(f"项目编码“{candidate.project_code}”重复，无法抽样"))
        seen.add(candidate.project_code)
    if problems:
        raise ValidationFailed(problems)


def _draw_section(
    section: str, members: list[SampleCandidate], seed: str, rules: RuleSet
) -> SectionSample:
    quota = quota_for(len(members), rules.sampling)
    must = []
    others = []
    for candidate in sorted(members, key=lambda c: c.project_code):
        reasons = must_include_reasons(candidate, rules)
        if reasons:
            must.append(DrawnItem(candidate.project_code, reasons))
        else:
            others.append(candidate)
    others.sort(key=lambda c: (rank_key(seed, section, c.project_code), c.project_code))
    fill = max(0, quota - len(must))
    picked = [DrawnItem(c.project_code, (RANDOM_REASON,)) for c in others[:fill]]
    return SectionSample(section, len(members), quota, tuple(must + picked))


def describe_rule(rules: RuleSet) -> str:
    """The draw rule in one line of Chinese, recorded with the sample."""
    s = rules.sampling
    text = (
        f"每个股室按 {format_percent(s.ratio)} 向上取整抽取，至少 {s.min_per_section} 个"
        "（不超过该股室自评数）"
    )
    musts = []
    if s.must_include_amount_yuan > 0:
        musts.append(f"金额达到{plain(s.must_include_amount_yuan / YUAN_PER_WAN)}万元")
    if s.must_include_last_grades:
        musts.append("上年等级为" + "/".join(g.value for g in s.must_include_last_grades))
    if s.must_include_full_score_unspent:
        musts.append("自评满分但预算未执行完")
    if s.must_include_red_at_month:
        musts.append(f"{s.must_include_red_at_month}月监控红灯")
    if musts:
        text += "；必抽（计入抽取数）：" + "、".join(musts)
    return text + "；其余按 SHA-256(种子:股室:项目编码) 排序依次抽取"
