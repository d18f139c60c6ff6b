"""The bureau's own work: 财政重点评价, the 整改 ledger, 公开 records, cuts carried forward."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.models.base import Base, Timestamped, Versioned
from app.storage.models.core import Department, Project
from app.storage.types import Money, Points


class KeyEvaluation(Versioned, Timestamped, Base):
    """财政重点评价 of one object (a department as a whole, a policy or a project)."""

    __tablename__ = "key_evaluations"
    __table_args__ = (UniqueConstraint("year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))  # 评价编号, e.g. ZD2025-01
    object_kind: Mapped[str] = mapped_column(String(10))  # ObjectKind
    subject: Mapped[str] = mapped_column(String(200))  # 评价对象名称
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    # The project evaluated, or the project funding the policy; none for a department.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")  # 选择理由
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))  # 评价资金
    agency: Mapped[str] = mapped_column(String(100), default="")  # 第三方机构
    team: Mapped[str] = mapped_column(Text, default="")  # 评价组
    problems: Mapped[str] = mapped_column(Text, default="")  # 发现的问题, one per line
    suggestions: Mapped[str] = mapped_column(Text, default="")  # 整改建议, one per line
    finished_on: Mapped[date | None] = mapped_column(Date)

    department: Mapped["Department"] = relationship()
    project: Mapped["Project | None"] = relationship()
    items: Mapped[list["KeyEvaluationItem"]] = relationship(
        back_populates="evaluation",
        order_by="KeyEvaluationItem.position",
        cascade="all, delete-orphan",
    )


class KeyEvaluationItem(Base):
    """One 三级 item of an evaluation's framework (copied from the template), with its score."""

    __tablename__ = "key_evaluation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("key_evaluations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(String(10))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    points: Mapped[Decimal] = mapped_column(Points)
    guidance: Mapped[str] = mapped_column(Text, default="")  # 评分要点
    score: Mapped[Decimal | None] = mapped_column(Points)
    evidence: Mapped[str] = mapped_column(Text, default="")  # 评分依据

    evaluation: Mapped["KeyEvaluation"] = relationship(back_populates="items")


class RectificationItem(Versioned, Timestamped, Base):
    """整改台账 row: a finding sent back to a unit, with the action, deadline and reply.

    `source_key` names the finding that generated the row (e.g. "red:2025-6:219001001"), so
    generating again finds it instead of adding a second row. 逾期 is never stored: it
    follows from the deadline and today (app/domain/rectification.py).
    """

    __tablename__ = "rectification_items"
    __table_args__ = (UniqueConstraint("year_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # FindingSource
    source_key: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200), default="")  # project code and name …
    finding: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)  # 整改要求
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # 未整改 / 整改中 / 已整改
    reply: Mapped[str] = mapped_column(Text, default="")  # 单位反馈
    replied_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)

    department: Mapped["Department"] = relationship()


class DisclosureRecord(Versioned, Base):
    """One unit's 公开 pack as written: when, by whom, which file and how many tables."""

    __tablename__ = "disclosure_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(60), default="")
    file_name: Mapped[str] = mapped_column(String(260))
    goal_tables: Mapped[int] = mapped_column(Integer, default=0)
    evaluation_tables: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped["Department"] = relationship()


class CarriedCut(Base):
    """A confirmed 结果应用 cut applied to next year's rolled-forward project (调减).

    The amounts before the cut are kept, so reverting restores them exactly.
    """

    __tablename__ = "carried_cuts"

    id: Mapped[int] = mapped_column(primary_key=True)
    adjustment_id: Mapped[int] = mapped_column(
        ForeignKey("budget_adjustments.id", ondelete="CASCADE"), unique=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    total_before: Mapped[Decimal] = mapped_column(Money)
    fiscal_before: Mapped[Decimal] = mapped_column(Money)
    other_before: Mapped[Decimal] = mapped_column(Money)
    cut: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(60), default="")

    project: Mapped["Project"] = relationship()
