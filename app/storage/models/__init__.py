"""All mapped tables; import from here so the metadata is complete.

The model modules do without `from __future__ import annotations`: SQLAlchemy would then
evaluate some 400 column annotations from strings at every start (0.05 s of each command);
only the names of other models are written as strings (`Mapped["Project | None"]`).
"""

from app.storage.models.base import Base
from app.storage.models.bureau import (
    CarriedCut,
    DisclosureRecord,
    KeyEvaluation,
    KeyEvaluationItem,
    RectificationItem,
)
from app.storage.models.core import (
    Department,
    FiscalYear,
    Goal,
    GoalRevision,
    Indicator,
    LibraryHistoryReview,
    LibraryIndicator,
    Project,
    ReturnComment,
    Section,
)
from app.storage.models.department_monitoring import (
    DepartmentMonitoringEntry,
    DepartmentMonitoringIndicator,
)
from app.storage.models.policy_assessment import PolicyAssessment
from app.storage.models.system import (
    AuditEntry,
    ChangeFeedEntry,
    JobLock,
    Setting,
    YearRules,
    YearWording,
)
from app.storage.models.workflow import (
    BudgetAdjustment,
    MonitoringEntry,
    MonitoringIndicator,
    MonitoringRound,
    PreAssessment,
    Review,
    ReviewItem,
    SelfEvaluation,
    SelfEvaluationIndicator,
    SpotCheckBatch,
    SpotCheckSample,
)

__all__ = [
    "AuditEntry",
    "Base",
    "BudgetAdjustment",
    "CarriedCut",
    "ChangeFeedEntry",
    "Department",
    "DepartmentMonitoringEntry",
    "DepartmentMonitoringIndicator",
    "DisclosureRecord",
    "FiscalYear",
    "Goal",
    "GoalRevision",
    "Indicator",
    "JobLock",
    "KeyEvaluation",
    "KeyEvaluationItem",
    "LibraryHistoryReview",
    "LibraryIndicator",
    "MonitoringEntry",
    "MonitoringIndicator",
    "MonitoringRound",
    "PolicyAssessment",
    "PreAssessment",
    "Project",
    "RectificationItem",
    "ReturnComment",
    "Review",
    "ReviewItem",
    "Section",
    "SelfEvaluation",
    "SelfEvaluationIndicator",
    "Setting",
    "SpotCheckBatch",
    "SpotCheckSample",
    "YearRules",
    "YearWording",
]
