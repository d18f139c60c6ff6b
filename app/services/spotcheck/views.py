"""The recorded draw as plain data (SampleResult), shared by the draw and the summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.errors import UserError
from app.services.evaluation import NO_SECTION, evaluation_key
from app.storage.database import Database
from app.storage.models import (
    Department,
    FiscalYear,
    Project,
    Review,
    Section,
    SelfEvaluation,
    SpotCheckBatch,
    SpotCheckSample,
)

NOT_STARTED = "未开始"
DRAFT = "草稿"
REVIEWED = "已复核"


@dataclass(frozen=True)
class SampledItem:
    sample_id: int
    evaluation_id: int
    project_code: str
    name: str
    department: str
    reason: str  # 随机抽取, or the must-include rules it met
    review_status: str  # 未开始 / 草稿 / 已复核


@dataclass(frozen=True)
class SectionDraw:
    section: str
    population: int
    quota: int
    drawn: int
    project_codes: tuple[str, ...]
    items: tuple[SampledItem, ...]


@dataclass(frozen=True)
class SampleResult:
    batch_id: int
    year: int
    seed: int
    ratio: Decimal
    rule_text: str
    drawn_by: str
    drawn_at: datetime
    sections: tuple[SectionDraw, ...]

    @property
    def population(self) -> int:
        return sum(s.population for s in self.sections)

    @property
    def drawn(self) -> int:
        return sum(s.drawn for s in self.sections)

    @property
    def project_codes(self) -> tuple[str, ...]:
        return tuple(code for s in self.sections for code in s.project_codes)


def year_id(session: Session, year: int) -> int:
    found = session.scalar(select(FiscalYear.id).where(FiscalYear.year == year))
    if found is None:
        raise UserError(f"数据库中没有{year}年度的数据。")
    return found


def batch_of(session: Session, fiscal_year_id: int) -> SpotCheckBatch | None:
    return session.scalar(
        select(SpotCheckBatch)
        .where(SpotCheckBatch.year_id == fiscal_year_id)
        .order_by(SpotCheckBatch.id.desc())
        .limit(1)
    )


def sample_summary(db: Database, year: int) -> SampleResult | None:
    """The year's recorded sample, or None when none has been drawn."""
    with db.session() as session:
        batch = batch_of(session, year_id(session, year))
        return None if batch is None else batch_result(session, batch, year)


def batch_result(session: Session, batch: SpotCheckBatch, year: int) -> SampleResult:
    rule = json.loads(batch.rule_json or "{}")
    items: dict[str, list[SampledItem]] = {}
    for row in session.execute(_items_query(batch.id)):
        section = row.section or NO_SECTION
        items.setdefault(section, []).append(
            SampledItem(
                sample_id=row.id,
                evaluation_id=row.evaluation_id,
                project_code=evaluation_key(row.scope, row.project_code, row.dept_code),
                name=row.project_name or f"{row.dept_name}部门整体支出",
                department=row.dept_name,
                reason=row.reason,
                review_status=row.status or NOT_STARTED,
            )
        )
    sections = tuple(
        SectionDraw(
            section=s["section"],
            population=s["population"],
            quota=s["quota"],
            drawn=len(items.get(s["section"], [])),
            project_codes=tuple(i.project_code for i in items.get(s["section"], [])),
            items=tuple(items.get(s["section"], [])),
        )
        for s in _bureau_order(session, rule.get("sections", []))
    )
    return SampleResult(
        batch_id=batch.id,
        year=year,
        seed=batch.seed,
        ratio=batch.ratio,
        rule_text=clerk_rule_text(rule.get("rule", ""), batch.seed),
        drawn_by=batch.drawn_by,
        drawn_at=batch.drawn_at,
        sections=sections,
    )


# The domain records how it ranks (for an auditor); the clerk is told what it means.
TECHNICAL_RANKING = "；其余按 SHA-256(种子:股室:项目编码) 排序依次抽取"


def clerk_rule_text(stored: str, seed: int) -> str:
    """The recorded rule in the clerk's words: the seed, and that it reproduces the sample."""
    plain_rule = stored.replace(TECHNICAL_RANKING, "")
    return f"{plain_rule}；其余按随机种子 {seed} 抽取，同一种子可复现同一样本"


def _bureau_order(session: Session, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bureau's 股室 order (sort_order, as load_evaluations uses), not the draw's."""
    order = {name: (n, so) for n, (name, so) in enumerate(
        session.execute(select(Section.name, Section.sort_order).order_by(Section.sort_order))
    )}  # fmt: skip
    return sorted(sections, key=lambda s: order.get(s["section"], (len(order), 0)))


def _items_query(batch_id: int) -> Select[*tuple[Any, ...]]:
    return (
        select(
            SpotCheckSample.id,
            SpotCheckSample.evaluation_id,
            SpotCheckSample.reason,
            SelfEvaluation.scope,
            Project.code.label("project_code"),
            Project.name.label("project_name"),
            Department.code.label("dept_code"),
            Department.name.label("dept_name"),
            Section.name.label("section"),
            Review.status,
        )
        .join(SelfEvaluation, SpotCheckSample.evaluation_id == SelfEvaluation.id)
        .join(Department, SelfEvaluation.department_id == Department.id)
        .outerjoin(Project, SelfEvaluation.project_id == Project.id)
        .outerjoin(Section, SpotCheckSample.section_id == Section.id)
        .outerjoin(Review, Review.sample_id == SpotCheckSample.id)
        .where(SpotCheckSample.batch_id == batch_id)
        .order_by(SpotCheckSample.position)
    )
