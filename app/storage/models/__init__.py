"""All mapped tables; import from here so the metadata is complete."""

from app.storage.models.base import Base
from app.storage.models.core import (
    Department,
    FiscalYear,
    Goal,
    GoalRevision,
    Indicator,
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
from app.storage.models.system import AuditEntry, Setting
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
    "Department",
    "DepartmentMonitoringEntry",
    "DepartmentMonitoringIndicator",
    "FiscalYear",
    "Goal",
    "GoalRevision",
    "Indicator",
    "LibraryIndicator",
    "MonitoringEntry",
    "MonitoringIndicator",
    "MonitoringRound",
    "PolicyAssessment",
    "PreAssessment",
    "Project",
    "ReturnComment",
    "Review",
    "ReviewItem",
    "Section",
    "SelfEvaluation",
    "SelfEvaluationIndicator",
    "Setting",
    "SpotCheckBatch",
    "SpotCheckSample",
]
