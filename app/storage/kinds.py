"""The kinds of objects the data holds: one vocabulary for the audit trail and for change
announcements.

The audit trail names an entry's object with one of these codes (services/common/audit.py
re-exports them; audit_log.OBJECT_LABELS gives their Chinese names), and a committed
transaction announces the kinds of the tables it wrote (storage/changes.py), so a page that
shows goals knows a goal changed. Child tables count as their parent's kind: an indicator
row is part of its goal, a review item part of its review.
"""

from __future__ import annotations

DATABASE = "database"
SETTINGS = "settings"
YEAR = "year"
SECTION = "section"
DEPARTMENT = "department"
PROJECT = "project"
GOAL = "goal"
PRE_ASSESSMENT = "pre_assessment"
MONITORING_ROUND = "monitoring_round"
MONITORING_ENTRY = "monitoring_entry"
MONITORING_DEPARTMENT_ENTRY = "monitoring_department_entry"
LIBRARY_INDICATOR = "library_indicator"
SELF_EVALUATION = "self_evaluation"
SPOT_CHECK_BATCH = "spot_check_batch"
SPOT_CHECK_REVIEW = "spot_check_review"
BUDGET_ADJUSTMENT = "budget_adjustment"
KEY_EVALUATION = "key_evaluation"
RECTIFICATION = "rectification"
DISCLOSURE = "disclosure"
CARRIED_CUT = "carried_cut"

ALL_KINDS = frozenset(
    {
        DATABASE,
        SETTINGS,
        YEAR,
        SECTION,
        DEPARTMENT,
        PROJECT,
        GOAL,
        PRE_ASSESSMENT,
        MONITORING_ROUND,
        MONITORING_ENTRY,
        MONITORING_DEPARTMENT_ENTRY,
        LIBRARY_INDICATOR,
        SELF_EVALUATION,
        SPOT_CHECK_BATCH,
        SPOT_CHECK_REVIEW,
        BUDGET_ADJUSTMENT,
        KEY_EVALUATION,
        RECTIFICATION,
        DISCLOSURE,
        CARRIED_CUT,
    }
)

# Every table's kind (tests/integration/test_storage_changes.py checks that every mapped table is
# here). The audit log itself announces nothing: each audited change also wrote its own kind.
TABLE_KINDS: dict[str, str | None] = {
    "fiscal_years": YEAR,
    "sections": SECTION,
    "departments": DEPARTMENT,
    "projects": PROJECT,
    "goals": GOAL,
    "indicators": GOAL,
    "goal_revisions": GOAL,
    "return_comments": GOAL,
    "library_indicators": LIBRARY_INDICATOR,
    "library_history_reviews": LIBRARY_INDICATOR,
    "audit_log": None,
    "job_locks": None,  # who runs a whole-year job: bookkeeping, not data
    "change_feed": None,  # the record of announcements, not data
    "settings": SETTINGS,
    "year_rules": SETTINGS,
    "year_wording": SETTINGS,
    "pre_assessments": PRE_ASSESSMENT,
    "monitoring_rounds": MONITORING_ROUND,
    "monitoring_entries": MONITORING_ENTRY,
    "monitoring_indicators": MONITORING_ENTRY,
    "monitoring_department_entries": MONITORING_DEPARTMENT_ENTRY,
    "monitoring_department_indicators": MONITORING_DEPARTMENT_ENTRY,
    "policy_assessments": PRE_ASSESSMENT,
    "self_evaluations": SELF_EVALUATION,
    "self_evaluation_indicators": SELF_EVALUATION,
    "spot_check_batches": SPOT_CHECK_BATCH,
    "spot_check_samples": SPOT_CHECK_BATCH,
    "reviews": SPOT_CHECK_REVIEW,
    "review_items": SPOT_CHECK_REVIEW,
    "budget_adjustments": BUDGET_ADJUSTMENT,
    "key_evaluations": KEY_EVALUATION,
    "key_evaluation_items": KEY_EVALUATION,
    "rectification_items": RECTIFICATION,
    "disclosure_records": DISCLOSURE,
    "carried_cuts": CARRIED_CUT,
}


def kinds_of_tables(tables: set[str]) -> frozenset[str]:
    return frozenset(k for t in tables if (k := TABLE_KINDS[t]) is not None)
