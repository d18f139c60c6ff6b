"""绩效目标 services: editing, live checks, the review workflow and its history.

One function per user action; each opens one transaction and returns plain data.
"""

from app.services.goals.editing import (
    check_context,
    check_goal_edit,
    department_goal,
    goal_for_project,
    load_goal,
    save_goal,
)
from app.services.goals.review import (
    approve_goal,
    approve_goals,
    goal_history,
    return_goal,
    return_goals,
    submit_goal,
    submit_goals,
)
from app.services.goals.types import (
    BulkResult,
    CheckContext,
    GoalDetail,
    GoalEdit,
    IndicatorRow,
    Refusal,
    ReturnCommentRow,
    RevisionRow,
    SaveResult,
)

__all__ = [
    "BulkResult",
    "CheckContext",
    "GoalDetail",
    "GoalEdit",
    "IndicatorRow",
    "Refusal",
    "ReturnCommentRow",
    "RevisionRow",
    "SaveResult",
    "approve_goal",
    "approve_goals",
    "check_context",
    "check_goal_edit",
    "department_goal",
    "goal_for_project",
    "goal_history",
    "load_goal",
    "return_goal",
    "return_goals",
    "save_goal",
    "submit_goal",
    "submit_goals",
]
