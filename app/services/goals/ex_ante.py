"""The ex-ante requirement as the goal's author sees it: told while writing the goal, not
first at approval. The same triggers and conclusions approval checks (pre_assessment);
a goal already approved is past that point and is left out."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.enums import AssessmentConclusion, GoalStatus
from app.domain.pre_assessment import approval_blocked_by_assessment
from app.domain.rules import RuleSet
from app.services.assessment.records import assessment_candidates, project_triggers
from app.services.common import live
from app.storage.database import Database
from app.storage.models import Goal, PreAssessment, Project


def ex_ante_notice(db: Database, project_id: int | None, rules: RuleSet) -> str:
    """Why this project's goal cannot be approved before an ex-ante assessment; "" when it
    can (no trigger, exempt, or a positive conclusion) or for a 部门整体 goal."""
    if project_id is None:
        return ""
    with db.session() as session:
        project = live.get(session, Project, project_id)
        goal = project.goal if project is not None else None
        if project is None or (
            goal is not None and not live.in_bin(goal) and goal.status == GoalStatus.APPROVED
        ):
            return ""
        result, _ = project_triggers(session, [project], rules)[project_id]
        stored = session.scalar(
            select(PreAssessment.conclusion).where(PreAssessment.project_id == project_id)
        )
    conclusion = AssessmentConclusion(stored) if stored else None
    if not approval_blocked_by_assessment(result.required, conclusion):
        return ""
    state = f"评估结论为“{conclusion.value}”" if conclusion else "尚未录入评估结论"
    return f"本项目须开展事前绩效评估（{'；'.join(result.reasons)}），{state}；审核通过前须完成。"


def ex_ante_due(db: Database, year: int, rules: RuleSet) -> frozenset[int]:
    """Ids of the year's projects whose goal, not yet approved, waits for an assessment."""
    candidates = assessment_candidates(db, year, rules)
    blocked = {c.project_id for c in candidates if c.approval_blocked}
    with db.session() as session:
        approved = session.scalars(
            select(Goal.project_id).where(
                Goal.project_id.in_(blocked),
                Goal.status == GoalStatus.APPROVED.value,
                *live.only(Goal),
            )
        )
        return frozenset(blocked.difference(approved))
