"""Library proposals from the county's history, and the bureau's bulk keep / merge / reject.

A proposal is one indicator as the county used it (app.domain.library_history.HistoryGroup),
numbered 1..n in a fixed order so a reviewer can name them. Keeping adds a library entry
(source "history"); merging files the history under an existing entry; rejecting only
records the decision. Each decision keeps the figures it was taken on as evidence, and a
decided proposal is not proposed again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.domain.indicator_values import format_target
from app.domain.library_history import HistoryGroup, group_history, indicator_key
from app.domain.money import format_percent
from app.domain.numbers import plain
from app.services.common import audit
from app.services.library.history.records import history_records
from app.storage.database import Database
from app.storage.models import FiscalYear, LibraryHistoryReview, LibraryIndicator

HISTORY_SOURCE = "history"
KEEP, MERGE, REJECT = "keep", "merge", "reject"
DECISION_LABELS = {KEEP: "收入指标库", MERGE: "并入已有指标", REJECT: "不收入"}


@dataclass(frozen=True)
class Proposal:
    number: int
    group: HistoryGroup
    library_id: int | None  # an existing library entry with the same 二级 and key
    decision: str  # "" until decided

    @property
    def met_rate(self) -> str:
        g = self.group
        if not g.evaluated:
            return ""
        return format_percent(Decimal(g.met) / Decimal(g.evaluated))


@dataclass(frozen=True)
class Decision:
    number: int
    action: str  # keep / merge / reject
    into: int | None = None  # the library entry of a merge


@dataclass(frozen=True)
class ReviewResult:
    kept: int
    merged: int
    rejected: int


def history_year_range(session: Session, years: tuple[int, int] | None) -> tuple[int, int]:
    if years is not None:
        if years[0] > years[1]:
            raise UserError(f"年度范围 {years[0]}-{years[1]} 的起始年度晚于结束年度")
        return years
    known = list(session.scalars(select(FiscalYear.year).order_by(FiscalYear.year)))
    if not known:
        raise UserError("数据库中还没有任何年度，无法从历史生成指标库建议")
    return known[0], known[-1]


def propose_from_history(db: Database, years: tuple[int, int] | None = None) -> list[Proposal]:
    """Every indicator the approved goals of these years used, most used first."""
    with db.session() as s:
        first, last = history_year_range(s, years)
        groups = group_history(history_records(s, first, last))
        library = _library_keys(s)
        decided = {
            (r.field, r.level2, r.key): r.decision for r in s.scalars(select(LibraryHistoryReview))
        }
    return [
        Proposal(
            number=n,
            group=g,
            library_id=library.get((g.level2, g.key)),
            decision=decided.get(g.group_key, ""),
        )
        for n, g in enumerate(groups, start=1)
    ]


def _library_keys(s: Session) -> dict[tuple[str, str], int]:
    rows = s.execute(select(LibraryIndicator.id, LibraryIndicator.level2, LibraryIndicator.name))
    keys: dict[tuple[str, str], int] = {}
    for lib_id, level2, name in rows:
        keys.setdefault((level2, indicator_key(name)), lib_id)
    return keys


def review_proposals(
    db: Database, decisions: Sequence[Decision], years: tuple[int, int] | None = None
) -> ReviewResult:
    """Apply the bureau's decisions in one transaction; every bad number is named at once."""
    proposals = {p.number: p for p in propose_from_history(db, years)}
    _check_decisions(decisions, proposals)
    counts = {KEEP: 0, MERGE: 0, REJECT: 0}
    with db.transaction() as s:
        who, now = audit.actor(s), datetime.now()
        for d in decisions:
            p = proposals[d.number]
            library_id = _apply(s, p, d)
            s.add(
                LibraryHistoryReview(
                    field=p.group.field,
                    level2=p.group.level2,
                    key=p.group.key,
                    decision=d.action,
                    library_indicator_id=library_id,
                    evidence_json=json.dumps(evidence(p.group), ensure_ascii=False),
                    decided_by=who,
                    decided_at=now,
                )
            )
            counts[d.action] += 1
        after = {DECISION_LABELS[k]: v for k, v in counts.items()}
        audit.record(
            s, "历史指标审核", audit.LIBRARY_INDICATOR, None, "从历史生成的指标库建议", None, after
        )
    return ReviewResult(counts[KEEP], counts[MERGE], counts[REJECT])


def _check_decisions(decisions: Sequence[Decision], proposals: dict[int, Proposal]) -> None:
    problems = []
    seen: set[int] = set()
    for d in decisions:
        p = proposals.get(d.number)
        if d.action not in DECISION_LABELS:
            problems.append(f"第 {d.number} 条建议的处理方式“{d.action}”无效")
        elif p is None:
            problems.append(f"第 {d.number} 条建议不存在（共 {len(proposals)} 条）")
        elif p.decision:
            problems.append(f"第 {d.number} 条建议“{p.group.name}”已审核过（{p.decision}）")
        elif d.number in seen:
            problems.append(f"第 {d.number} 条建议重复出现")
        elif d.action == KEEP and p.library_id is not None:
            problems.append(f"第 {d.number} 条建议“{p.group.name}”指标库中已有，请选择合并")
        elif d.action == MERGE and d.into is None and p.library_id is None:
            problems.append(f"第 {d.number} 条建议“{p.group.name}”合并时须指明指标库条目编号")
        seen.add(d.number)
    if problems:
        raise UserError("指标库建议未处理：\n" + "\n".join(f"  {p}" for p in problems))


def _apply(s: Session, p: Proposal, d: Decision) -> int | None:
    g = p.group
    if d.action == REJECT:
        return None
    if d.action == MERGE:
        into = d.into if d.into is not None else p.library_id
        if s.get(LibraryIndicator, into) is None:
            raise UserError(f"第 {d.number} 条建议：指标库中没有编号为 {into} 的指标")
        return into
    entry = LibraryIndicator(
        level1=g.level1,
        level2=g.level2,
        name=g.name,
        comparator=(g.comparator.value if g.comparator else "定性"),
        unit=g.unit if g.comparator is not None and g.comparator.is_quantitative else "",
        explanation=f"来自本县历史：{g.projects} 个项目使用，典型目标 {g.typical or '无'}",
        field=g.field[:30],
        source=HISTORY_SOURCE,
    )
    s.add(entry)
    s.flush()
    return entry.id


def evidence(g: HistoryGroup) -> dict[str, object]:
    spread = g.spread
    return {
        "指标": g.name,
        "项目数": g.projects,
        "年度": list(g.years),
        "典型目标": g.typical,
        "中位数": plain(spread.median) if spread else "",
        "最低": format_target(None, spread.low) if spread else "",
        "最高": format_target(None, spread.high) if spread else "",
        "完成次数": g.met,
        "自评次数": g.evaluated,
        "其他写法": list(g.variants),
        "示例": list(g.examples),
    }
