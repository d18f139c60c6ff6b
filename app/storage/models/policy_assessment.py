"""事前绩效评估 of a 新出台重大政策 (a policy, not a project): same five dimensions."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.models.base import Base, Timestamped, Versioned
from app.storage.models.core import Department
from app.storage.types import Money


class PolicyAssessment(Versioned, Timestamped, Base):
    __tablename__ = "policy_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # 政策名称
    necessity: Mapped[str] = mapped_column(String(10), default="")  # 立项必要性
    economy: Mapped[str] = mapped_column(String(10), default="")  # 投入经济性
    goal_reasonableness: Mapped[str] = mapped_column(String(10), default="")  # 绩效目标合理性
    feasibility: Mapped[str] = mapped_column(String(10), default="")  # 实施方案可行性
    compliance: Mapped[str] = mapped_column(String(10), default="")  # 筹资合规性
    conclusion: Mapped[str] = mapped_column(String(10), default="")  # AssessmentConclusion
    requested_amount: Mapped[Decimal] = mapped_column(Money)  # 送审: the policy's money
    approved_amount: Mapped[Decimal | None] = mapped_column(Money)  # 审定
    assessed_on: Mapped[date | None] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    department: Mapped["Department"] = relationship()
