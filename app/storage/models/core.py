"""Organisation and goals: years, sections, departments, projects, goals, indicators."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.models.base import Base, Timestamped, Versioned, one_department_scope_row_per_year
from app.storage.types import DecimalText, Money, Points


class FiscalYear(Base):
    __tablename__ = "fiscal_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Section(Versioned, Base):
    """股室: a business section of the bureau overseeing a set of departments."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # A retired 股室 keeps its name for past years but takes no new units.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    departments: Mapped[list["Department"]] = relationship(back_populates="section")


class Department(Versioned, Base):
    """预算单位."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(21), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    section: Mapped["Section | None"] = relationship(back_populates="departments")
    parent: Mapped["Department | None"] = relationship(remote_side="Department.id")


class Project(Timestamped, Base):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    code: Mapped[str] = mapped_column(String(21))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # ProjectKind: 新增 / 延续
    fund_source: Mapped[str] = mapped_column(String(40), default="一般公共预算")
    fund_level: Mapped[str] = mapped_column(String(20), default="本级")  # 本级 / 上级转移支付
    functional_class: Mapped[str] = mapped_column(String(7), default="")
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    fiscal_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    other_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    pre_assessment_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    exempt_reason: Mapped[str] = mapped_column(String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    department: Mapped["Department"] = relationship()
    year: Mapped["FiscalYear"] = relationship()
    goal: Mapped["Goal | None"] = relationship(back_populates="project", uselist=False)


class Goal(Versioned, Timestamped, Base):
    """绩效目标 of a project (scope project) or of a department as a whole (scope department)."""

    __tablename__ = "goals"
    __table_args__ = (one_department_scope_row_per_year("uq_goals_department_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(12))  # Scope
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), unique=True)
    overall_target: Mapped[str] = mapped_column(Text, default="")
    long_term_target: Mapped[str] = mapped_column(Text, default="")
    # Department-wide goals carry their own money block (整体支出).
    budget_amount: Mapped[Decimal | None] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(10))  # GoalStatus
    revision: Mapped[int] = mapped_column(Integer, default=1)  # of the status (GoalRevision)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewer: Mapped[str] = mapped_column(String(60), default="")
    return_reason: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    project: Mapped["Project | None"] = relationship(back_populates="goal")
    department: Mapped["Department"] = relationship()
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="goal", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Indicator(Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    comparator: Mapped[str] = mapped_column(String(4))  # Comparator
    target_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    target_text: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(30), default="")
    points: Mapped[Decimal] = mapped_column(Points)
    explanation: Mapped[str] = mapped_column(Text, default="")
    standard_source: Mapped[str] = mapped_column(String(20), default="")  # 计划标准 …
    library_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_indicators.id", ondelete="SET NULL")
    )

    goal: Mapped["Goal"] = relationship(back_populates="indicators")


class GoalRevision(Base):
    """One change of a goal's status, with who, when, why and the content it replaced."""

    __tablename__ = "goal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    status_from: Mapped[str] = mapped_column(String(10), default="")
    status_to: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")
    snapshot_json: Mapped[str] = mapped_column(Text, default="")


class ReturnComment(Base):
    """A reason for returning a goal, overall (indicator_id NULL) or for one indicator row."""

    __tablename__ = "return_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)


class LibraryIndicator(Base):
    """指标库: a reusable indicator definition."""

    __tablename__ = "library_indicators"
    __table_args__ = (UniqueConstraint("level1", "level2", "name", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    comparator: Mapped[str] = mapped_column(String(4))
    unit: Mapped[str] = mapped_column(String(30), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(30), default="通用")  # 行业
    source: Mapped[str] = mapped_column(String(10), default="builtin")  # builtin / user


class LibraryHistoryReview(Base):
    """The bureau's decision on one indicator proposed from the county's history.

    Keyed by 行业, 二级 and the grouping key (app.domain.library_history.indicator_key), so a
    decided proposal is not proposed again. `evidence_json` keeps the figures the decision
    was taken on (projects, years, typical target, how often met, examples).
    """

    __tablename__ = "library_history_reviews"
    __table_args__ = (UniqueConstraint("field", "level2", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(30))
    level2: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(10))  # keep / merge / reject
    library_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_indicators.id", ondelete="SET NULL"), index=True
    )
    evidence_json: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)
