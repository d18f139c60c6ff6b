"""The history a goal is checked against, for the editor's live checks and `goals check`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.domain.goal_checks import IndicatorDraft
from app.domain.history_checks import GoalHistory, HistoryFinding, check_history
from app.domain.rules import RuleSet
from app.services.library.history.records import year_history
from app.storage.models import FiscalYear, Goal


def history_years_back(rules: RuleSet) -> int:
    h = rules.history
    return 0 if h is None else max(h.years, h.steady_years)


def load_goal_history(session: Session, goal: Goal, rules: RuleSet | None) -> GoalHistory | None:
    """The history one project goal is checked against (None for a department goal)."""
    if goal.project is None or rules is None or rules.history is None:
        return None
    year = session.get_one(FiscalYear, goal.year_id).year
    code = goal.project.code
    units = rules.history.comparable_units
    return year_history(session, year, history_years_back(rules), units, code).for_project(code)


def history_findings(
    drafts: Sequence[IndicatorDraft], history: GoalHistory | None, rules: RuleSet
) -> list[HistoryFinding]:
    """The history checks of a goal's rows; empty when the rule set has no [history]."""
    if history is None or rules.history is None:
        return []
    return check_history(drafts, history, rules.history, rules.goals.cost_classes)
