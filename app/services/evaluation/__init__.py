"""绩效自评: scoring the year's self-evaluations (docs/domain.md §6) through the domain rules."""

from app.services.evaluation.inputs import (
    DEPARTMENT_SUFFIX,
    NO_SECTION,
    LoadedEvaluation,
    evaluation_key,
    load_evaluations,
)
from app.services.evaluation.scores import (
    ExecutionRow,
    IndicatorRow,
    ProjectScore,
    evaluation_detail,
    project_score,
    score_year,
)

__all__ = [
    "DEPARTMENT_SUFFIX",
    "NO_SECTION",
    "ExecutionRow",
    "IndicatorRow",
    "LoadedEvaluation",
    "ProjectScore",
    "evaluation_detail",
    "evaluation_key",
    "load_evaluations",
    "project_score",
    "score_year",
]
