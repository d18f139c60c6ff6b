"""财政重点评价: the bureau's own evaluations (plan, framework, scores, report)."""

from app.services.key_evaluation.records import (
    EvaluationRow,
    ItemEdit,
    PlanEdit,
    create_evaluation,
    delete_evaluation,
    find_evaluation,
    list_evaluations,
    load_evaluation,
    save_evaluation,
    save_items,
    template_items,
)
from app.services.key_evaluation.summary import KeyEvaluationSummary, key_evaluation_summary

__all__ = [
    "EvaluationRow",
    "ItemEdit",
    "KeyEvaluationSummary",
    "PlanEdit",
    "create_evaluation",
    "delete_evaluation",
    "find_evaluation",
    "key_evaluation_summary",
    "list_evaluations",
    "load_evaluation",
    "save_evaluation",
    "save_items",
    "template_items",
]
