"""部门整体 monitoring: a department-wide goal in one monitoring round.

Kept apart from MonitoringEntry (one project per entry) so that every reader of project
entries stays as it is; the two share the round, the lamps' rules and the reason fields.
"""

from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.models.base import Base, Versioned
from app.storage.models.core import Goal, Indicator
from app.storage.types import DecimalText, Money


class DepartmentMonitoringEntry(Versioned, Base):
    """The department's basic and project spending (元) against its whole-year budget."""

    __tablename__ = "monitoring_department_entries"
    __table_args__ = (UniqueConstraint("round_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_rounds.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    basic_initial: Mapped[Decimal] = mapped_column(Money)  # 基本支出 年初预算
    basic_adjusted: Mapped[Decimal] = mapped_column(Money)  # 基本支出 调整后预算
    basic_spent: Mapped[Decimal] = mapped_column(Money)  # 基本支出 执行数
    project_initial: Mapped[Decimal] = mapped_column(Money)  # 项目支出 年初预算
    project_adjusted: Mapped[Decimal] = mapped_column(Money)
    project_spent: Mapped[Decimal] = mapped_column(Money)
    conclusion: Mapped[str] = mapped_column(String(10), default="")  # MonitoringConclusion
    conclusion_note: Mapped[str] = mapped_column(Text, default="")
    budget_deviation_category: Mapped[str] = mapped_column(String(10), default="")
    budget_deviation_reason: Mapped[str] = mapped_column(Text, default="")
    budget_corrective_action: Mapped[str] = mapped_column(Text, default="")

    goal: Mapped["Goal"] = relationship()
    indicators: Mapped[list["DepartmentMonitoringIndicator"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan"
    )


class DepartmentMonitoringIndicator(Base):
    """One indicator of the department-wide goal in a round (fields as MonitoringIndicator)."""

    __tablename__ = "monitoring_department_indicators"
    __table_args__ = (UniqueConstraint("entry_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_department_entries.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    current_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    current_text: Mapped[str] = mapped_column(String(200), default="")
    likelihood: Mapped[str] = mapped_column(String(10), default="")
    expected_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    deviation_category: Mapped[str] = mapped_column(String(10), default="")
    deviation_reason: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped["DepartmentMonitoringEntry"] = relationship(back_populates="indicators")
    indicator: Mapped["Indicator"] = relationship()
