"""Which goal belongs to which project: the project list's rows carry project ids only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.domain.enums import Scope
from app.services.common import live
from app.storage.database import Database
from app.storage.models import Goal

_CHUNK = 500  # stays under SQLite's bound-parameter limit


def project_goal_ids(db: Database, project_ids: Sequence[int]) -> dict[int, int]:
    """project id → goal id for the projects that have a live goal (others are left out).

    Unlike goal_for_project this creates nothing, so bulk actions never add empty drafts.
    """
    wanted = list(dict.fromkeys(project_ids))
    found: dict[int, int] = {}
    with db.session() as session:
        for start in range(0, len(wanted), _CHUNK):
            stmt = select(Goal.project_id, Goal.id).where(
                Goal.project_id.in_(wanted[start : start + _CHUNK]),
                Goal.scope == Scope.PROJECT.value,
                *live.only(Goal),
            )
            found.update({p: g for p, g in session.execute(stmt) if p is not None})
    return found
