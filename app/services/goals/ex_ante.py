"""The ex-ante requirement as the goal's author sees it: told while writing the goal, not
first at approval. The same triggers and conclusions approval checks (pre_assessment)."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.enums import AssessmentConclusion
from app.domain.pre_assessment import approval_blocked_by_assessment
from app.domain.rules import RuleSet
from app.services.pre_assessment import assessment_candidates, project_triggers
from app.storage.database import Database
from app.storage.models import PreAssessment, Project


def ex_ante_notice(db: Database, project_id: int | None, rules: RuleSet) -> str:
    """Why this project's goal cannot be approved before an ex-ante assessment; "" when it
    can (no trigger, exempt, or a positive conclusion) or for a 部门整体 goal."""
    if project_id is None:
        return ""
    with db.session() as session:
        project = session.get(Project, project_id)
        if project is None:
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
    """Ids of the year's projects whose goal waits for an ex-ante assessment."""
    return frozenset(
        c.project_id for c in assessment_candidates(db, year, rules) if c.approval_blocked
    )
