"""The yearly cycle after goals: ex-ante, monitoring, self-evaluation, spot check, results."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.domain.indicator_values import parse_indicator_value
from app.storage.models.base import Base, Timestamped, Versioned, one_department_scope_row_per_year
from app.storage.models.core import Indicator, Project
from app.storage.types import DecimalText, Money, Points


class PreAssessment(Versioned, Timestamped, Base):
    """事前绩效评估 of one project."""

    __tablename__ = "pre_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    necessity: Mapped[str] = mapped_column(String(10), default="")  # 立项必要性
    economy: Mapped[str] = mapped_column(String(10), default="")  # 投入经济性
    goal_reasonableness: Mapped[str] = mapped_column(String(10), default="")  # 绩效目标合理性
    feasibility: Mapped[str] = mapped_column(String(10), default="")  # 实施方案可行性
    compliance: Mapped[str] = mapped_column(String(10), default="")  # 筹资合规性
    conclusion: Mapped[str] = mapped_column(String(10), default="")  # AssessmentConclusion
    requested_amount: Mapped[Decimal] = mapped_column(Money)  # 送审
    approved_amount: Mapped[Decimal | None] = mapped_column(Money)  # 审定
    assessed_on: Mapped[date | None] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    project: Mapped["Project"] = relationship()


class MonitoringRound(Base):
    __tablename__ = "monitoring_rounds"
    __table_args__ = (UniqueConstraint("year_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / closed
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    entries: Mapped[list["MonitoringEntry"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )


class MonitoringEntry(Versioned, Base):
    """One project in one round: the money side of 双监控 and the bureau's conclusion."""

    __tablename__ = "monitoring_entries"
    __table_args__ = (UniqueConstraint("round_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_rounds.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    initial_budget: Mapped[Decimal] = mapped_column(Money)  # 年初预算
    adjusted_budget: Mapped[Decimal] = mapped_column(Money)  # 调整后预算 (A)
    spent: Mapped[Decimal] = mapped_column(Money)  # 执行数 (B)
    conclusion: Mapped[str] = mapped_column(String(10), default="")  # MonitoringConclusion
    conclusion_note: Mapped[str] = mapped_column(Text, default="")
    # 偏差原因 of a red or yellow budget lamp (the indicators' are on MonitoringIndicator).
    budget_deviation_category: Mapped[str] = mapped_column(
        String(10), default="", server_default=""
    )  # DeviationCategory
    budget_deviation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    budget_corrective_action: Mapped[str] = mapped_column(Text, default="", server_default="")

    round: Mapped["MonitoringRound"] = relationship(back_populates="entries")
    project: Mapped["Project"] = relationship()
    indicators: Mapped[list["MonitoringIndicator"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan"
    )


class MonitoringIndicator(Base):
    __tablename__ = "monitoring_indicators"
    __table_args__ = (UniqueConstraint("entry_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_entries.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    current_value: Mapped[Decimal | None] = mapped_column(DecimalText)  # 当前完成值
    current_text: Mapped[str] = mapped_column(String(200), default="")  # 定性: 达成/部分达成/未达成
    likelihood: Mapped[str] = mapped_column(String(10), default="")  # Likelihood
    expected_value: Mapped[Decimal | None] = mapped_column(DecimalText)  # 全年预计完成值
    deviation_category: Mapped[str] = mapped_column(String(10), default="")
    deviation_reason: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped["MonitoringEntry"] = relationship(back_populates="indicators")
    indicator: Mapped["Indicator"] = relationship()


class SelfEvaluation(Versioned, Timestamped, Base):
    """绩效自评 of a project (or of a department as a whole), as sent by the department."""

    __tablename__ = "self_evaluations"
    __table_args__ = (one_department_scope_row_per_year("uq_self_evaluations_department_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(12))
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), unique=True)
    initial_budget: Mapped[Decimal] = mapped_column(Money)  # 年初预算数
    annual_budget: Mapped[Decimal] = mapped_column(Money)  # 全年预算数 (A)
    spent: Mapped[Decimal] = mapped_column(Money)  # 全年执行数 (B)
    budget_fiscal: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # 本年财政拨款
    budget_carryover: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # 上年结转
    budget_other: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # 其他资金
    spent_fiscal: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    spent_carryover: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    spent_other: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    expected_outcome: Mapped[str] = mapped_column(Text, default="")  # 预期目标
    actual_outcome: Mapped[str] = mapped_column(Text, default="")  # 实际完成情况
    claimed_execution_score: Mapped[Decimal | None] = mapped_column(Points)
    claimed_total: Mapped[Decimal | None] = mapped_column(Points)
    claimed_grade: Mapped[str] = mapped_column(String(2), default="")

    project: Mapped["Project | None"] = relationship()
    indicators: Mapped[list["SelfEvaluationIndicator"]] = relationship(
        back_populates="evaluation",
        order_by="SelfEvaluationIndicator.position",
        cascade="all, delete-orphan",
    )


def stated_parse(stated_target: str) -> dict[str, Any]:
    """The parse columns of a self-evaluation row whose 年度指标值 is ``stated_target``.

    Bulk writers add them to each row they insert or update; ORM writes get them from the
    model's validator.
    """
    parsed = parse_indicator_value(stated_target)
    return {
        "stated_comparator": parsed.comparator.value if parsed.comparator else "",
        "stated_number": parsed.number,
        "stated_unit": parsed.unit,
        "stated_text": parsed.text,
    }


class SelfEvaluationIndicator(Base):
    __tablename__ = "self_evaluation_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("self_evaluations.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer)
    # As written in the department's file; checked against the approved goal, never overwriting it.
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    stated_target: Mapped[str] = mapped_column(String(200), default="")
    # stated_target read once when saved (parse_indicator_value), so scoring a year parses
    # nothing: comparator as written ("" for none), number, unit and cleaned text.
    stated_comparator: Mapped[str] = mapped_column(String(4), default="", server_default="")
    stated_number: Mapped[Decimal | None] = mapped_column(DecimalText)
    stated_unit: Mapped[str] = mapped_column(String(200), default="", server_default="")
    stated_text: Mapped[str] = mapped_column(String(200), default="", server_default="")
    stated_points: Mapped[Decimal | None] = mapped_column(Points)
    actual_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    actual_text: Mapped[str] = mapped_column(String(200), default="")
    qualitative_band: Mapped[str] = mapped_column(String(30), default="")
    claimed_score: Mapped[Decimal | None] = mapped_column(Points)
    reason: Mapped[str] = mapped_column(Text, default="")  # 偏差原因分析及改进措施

    evaluation: Mapped["SelfEvaluation"] = relationship(back_populates="indicators")

    @validates("stated_target")
    def _keep_parse(self, _key: str, value: str) -> str:
        for column, parsed in stated_parse(value).items():
            setattr(self, column, parsed)
        return value


class SpotCheckBatch(Base):
    """One draw of the 抽查复核 sample: who drew it, when, with which rule and seed."""

    __tablename__ = "spot_check_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One sample per year, held by the schema: two seats drawing at once cannot both store one.
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True, unique=True)
    ratio: Mapped[Decimal] = mapped_column(DecimalText)
    seed: Mapped[int] = mapped_column(Integer)
    rule_json: Mapped[str] = mapped_column(Text, default="{}")
    drawn_by: Mapped[str] = mapped_column(String(60))
    drawn_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    samples: Mapped[list["SpotCheckSample"]] = relationship(
        back_populates="batch", cascade="all, delete-orphan"
    )


class SpotCheckSample(Base):
    __tablename__ = "spot_check_samples"
    __table_args__ = (UniqueConstraint("batch_id", "evaluation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("spot_check_batches.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("self_evaluations.id"))
    position: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(60), default="随机抽取")

    batch: Mapped["SpotCheckBatch"] = relationship(back_populates="samples")
    evaluation: Mapped["SelfEvaluation"] = relationship()
    review: Mapped["Review | None"] = relationship(back_populates="sample", uselist=False)


class Review(Versioned, Timestamped, Base):
    """The bureau's re-scoring of one sampled self-evaluation, and its 审核意见."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(
        ForeignKey("spot_check_samples.id", ondelete="CASCADE"), unique=True
    )
    reviewer: Mapped[str] = mapped_column(String(60), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="草稿")
    reviewed_spent: Mapped[Decimal | None] = mapped_column(Money)  # 复核执行数
    opinion: Mapped[str] = mapped_column(Text, default="")  # 审核意见
    total: Mapped[Decimal | None] = mapped_column(Points)
    grade: Mapped[str] = mapped_column(String(2), default="")

    sample: Mapped["SpotCheckSample"] = relationship(back_populates="review")
    items: Mapped[list["ReviewItem"]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )


class ReviewItem(Base):
    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("review_id", "evaluation_indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    evaluation_indicator_id: Mapped[int] = mapped_column(
        ForeignKey("self_evaluation_indicators.id", ondelete="CASCADE")
    )
    reviewed_value: Mapped[Decimal | None] = mapped_column(DecimalText)  # 复核完成值
    reviewed_text: Mapped[str] = mapped_column(String(200), default="")
    reviewed_score: Mapped[Decimal | None] = mapped_column(Points)  # 复核得分
    deduction_reason: Mapped[str] = mapped_column(String(30), default="")  # standard reason
    note: Mapped[str] = mapped_column(Text, default="")

    review: Mapped["Review"] = relationship(back_populates="items")


class BudgetAdjustment(Timestamped, Base):
    """结果应用: a proposed (and decided) change to a project's budget next year."""

    __tablename__ = "budget_adjustments"
    __table_args__ = (UniqueConstraint("project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    grade: Mapped[str] = mapped_column(String(2), default="")
    grade_source: Mapped[str] = mapped_column(String(10), default="")  # 自评 / 复核
    basis: Mapped[str] = mapped_column(Text, default="")
    base_amount: Mapped[Decimal] = mapped_column(Money)
    proposed_cut_ratio: Mapped[Decimal] = mapped_column(DecimalText)
    proposed_cut: Mapped[Decimal] = mapped_column(Money)
    decided_cut: Mapped[Decimal | None] = mapped_column(Money)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    project: Mapped["Project"] = relationship()
