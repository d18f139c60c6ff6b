"""Drawing the 抽查复核 sample of a year and showing the recorded draw (docs/domain.md §7).

Decisions:
- One batch per year, held by a unique index too (two seats drawing at once store one).
  A new draw for a year that already has one is refused unless ``replace=True``;
  replacing is refused too once any sampled project has a review, so a re-draw never
  throws away a reviewer's work.
- Seeds are integers 0…2147483647 (the column is INTEGER, 4 bytes on PostgreSQL, and
  people type them on the command line); the domain ranks by SHA-256 of their decimal text.
- ``ratio`` and ``MustInclude`` override the rule set for this draw only; the effective
  rule (text and values) and each section's population are stored in ``rule_json`` so the
  draw can be explained and re-created later.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from dataclasses import replace as with_changes
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.domain.enums import Grade
from app.domain.errors import UserError
from app.domain.money import YUAN_PER_WAN
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.domain.sampling import Sample
from app.domain.sampling import draw_sample as domain_draw
from app.services.common import audit, jobs, live
from app.services.evaluation import load_evaluations
from app.services.spotcheck.candidates import build_candidates
from app.services.spotcheck.views import SampleResult, batch_of, batch_result
from app.storage import joblock, versions
from app.storage.database import Database
from app.storage.models import Review, SpotCheckBatch, SpotCheckSample

MAX_SEED = 2_147_483_647
REASON_LENGTH = 60  # SpotCheckSample.reason column
T = TypeVar("T")


@dataclass(frozen=True)
class MustInclude:
    """Must-include rules for one draw; None keeps the rule set's setting."""

    amount_wan: Decimal | None = None  # 0 switches the rule off
    last_grades: tuple[Grade, ...] | None = None
    full_score_unspent: bool | None = None
    red_at_month: int | None = None  # 0 switches the rule off


@jobs.exclusive(joblock.SAMPLE, per_year=True)
def draw_sample(
    db: Database,
    year: int,
    rules: RuleSet,
    *,
    ratio: Decimal | None = None,
    seed: int | None = None,
    must_include: MustInclude | None = None,
    replace: bool = False,
) -> SampleResult:
    """Draw and record the year's sample; raises UserError if one exists (see module notes)."""
    effective = effective_rules(rules, ratio, must_include)
    seed = new_seed() if seed is None else _checked_seed(seed)
    with db.transaction() as session:
        fy_id = live.require_year_id(session, year)
        existing = batch_of(session, fy_id)
        if existing is not None:
            _check_replaceable(session, existing, year, replace)
        loaded = load_evaluations(session, year=year, with_rows=False)
        if not loaded:
            raise UserError(f"{year}年没有绩效自评，无法抽取复核样本。")
        candidates = build_candidates(session, loaded, year, effective)
        sample = domain_draw(candidates, str(seed), effective)
        if existing is not None:
            _delete_batch(session, existing)
        ids = {item.key: (item.id, item.section_id) for item in loaded}
        batch = _record(session, fy_id, sample, seed, effective, ids)
        audit.record(
            session, "抽取复核样本", audit.SPOT_CHECK_BATCH, batch.id, f"{year}年",
            after={"随机种子": seed, "抽取比例": str(effective.sampling.ratio),
                   "样本数": len(sample.project_codes), "重新抽取": existing is not None,
                   "样本": list(sample.project_codes)},
        )  # fmt: skip
        return batch_result(session, batch, year)


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def _checked_seed(seed: int) -> int:
    if not 0 <= seed <= MAX_SEED:
        raise UserError(f"随机种子应为 0 到 {MAX_SEED} 之间的整数，实际为 {seed}。")
    return seed


def effective_rules(rules: RuleSet, ratio: Decimal | None, must: MustInclude | None) -> RuleSet:
    """The rule set with this draw's overrides applied."""
    s = rules.sampling
    if ratio is not None:
        if not Decimal(0) < ratio <= 1:
            raise UserError(f"抽查比例应大于 0 且不超过 1（如 0.2 表示 20%），实际为 {ratio}。")
        s = with_changes(s, ratio=ratio)
    if must is not None:
        if must.red_at_month is not None and not 0 <= must.red_at_month <= 12:
            raise UserError(
                f"必抽监控红灯的月份应为 1-12（0 表示不启用），实际为 {must.red_at_month}。"
            )
        s = with_changes(
            s,
            must_include_amount_yuan=_or(
                None if must.amount_wan is None else must.amount_wan * YUAN_PER_WAN,
                s.must_include_amount_yuan,
            ),
            must_include_last_grades=_or(must.last_grades, s.must_include_last_grades),
            must_include_full_score_unspent=_or(
                must.full_score_unspent, s.must_include_full_score_unspent
            ),
            must_include_red_at_month=_or(must.red_at_month, s.must_include_red_at_month),
        )
    return with_changes(rules, sampling=s)


def _or(value: T | None, default: T) -> T:
    return default if value is None else value


def _check_replaceable(session: Session, batch: SpotCheckBatch, year: int, wanted: bool) -> None:
    if not wanted:
        raise UserError(
            f"{year}年已于{batch.drawn_at:%Y-%m-%d %H:%M}由{batch.drawn_by}抽取复核样本"
            f"（随机种子 {batch.seed}）。如需重新抽取，请选择“重新抽取”（命令行加 --replace）。"
        )
    reviewed = session.scalar(
        select(Review.id)
        .join(SpotCheckSample, Review.sample_id == SpotCheckSample.id)
        .where(SpotCheckSample.batch_id == batch.id)
        .limit(1)
    )
    if reviewed is not None:
        raise UserError(f"{year}年的复核样本已开始复核，不能重新抽取。")


def _delete_batch(session: Session, batch: SpotCheckBatch) -> None:
    # Set-based: the ORM cascade would load each sample's review (none: checked above).
    session.execute(delete(SpotCheckSample).where(SpotCheckSample.batch_id == batch.id))
    session.execute(delete(SpotCheckBatch).where(SpotCheckBatch.id == batch.id))
    session.expunge(batch)


def _record(
    session: Session,
    fy_id: int,
    sample: Sample,
    seed: int,
    rules: RuleSet,
    ids: dict[str, tuple[int, int | None]],
) -> SpotCheckBatch:
    rule = _rule_json(sample, rules)
    batch = SpotCheckBatch(
        year_id=fy_id,
        ratio=rules.sampling.ratio,
        seed=seed,
        rule_json=json.dumps(rule, ensure_ascii=False),
        drawn_by=audit.actor(session),
        drawn_at=datetime.now().replace(microsecond=0),
    )
    session.add(batch)
    # The schema holds one sample per year: another seat's draw stored first is refused here.
    versions.flush_first(session, "本年度的复核样本刚刚已由其他操作人员抽取，请刷新后查看。")
    items = [item for section in sample.sections for item in section.items]
    rows = [
        {
            "batch_id": batch.id,
            "section_id": ids[item.project_code][1],
            "evaluation_id": ids[item.project_code][0],
            "position": position,
            "reason": _short("；".join(item.reasons)),
        }
        for position, item in enumerate(items, start=1)
    ]
    if rows:
        session.execute(insert(SpotCheckSample), rows)
    return batch


def _rule_json(sample: Sample, rules: RuleSet) -> dict[str, object]:
    """The effective rule and each section's population, kept with the batch."""
    s = rules.sampling
    return {
        "rule_set": rules.name,
        "rule": sample.rule_text,
        "ratio": str(s.ratio),
        "min_per_section": s.min_per_section,
        "must_include": {
            "amount_wan": plain(s.must_include_amount_yuan / YUAN_PER_WAN),
            "last_grades": [g.value for g in s.must_include_last_grades],
            "full_score_unspent": s.must_include_full_score_unspent,
            "red_at_month": s.must_include_red_at_month,
        },
        "sections": [
            {"section": sec.section, "population": sec.population, "quota": sec.quota}
            for sec in sample.sections
        ],
    }


def _short(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
