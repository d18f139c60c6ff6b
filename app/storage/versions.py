"""Goal versions: every write to a goal's content bumps `goals.version`.

An editor remembers the version it loaded and refuses to save when the stored one moved on
(another window, an import, later another seat), instead of silently overwriting it. A
goal's content is its own row, its indicator rows and, for a project goal, the project's
header (name, amounts…), so a flush that changes any of them bumps the goal. Bulk
statements bypass the ORM: their writers call `bump` with the goals they touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session, sessionmaker

from app.storage.models import Goal, Indicator, Project


def watch(sessions: sessionmaker[Session]) -> None:
    event.listen(sessions, "before_flush", _bump_changed_goals)


def bump(session: Session, goal_ids: Iterable[int]) -> None:
    """After a bulk write: these goals changed."""
    ids = sorted(set(goal_ids))
    if ids:
        session.execute(update(Goal).where(Goal.id.in_(ids)).values(version=Goal.version + 1))


def _bump_changed_goals(session: Session, _context: Any, _instances: Any) -> None:
    dirty = [obj for obj in session.dirty if session.is_modified(obj)]
    goals = {g for obj in (*dirty, *session.deleted, *session.new) if (g := _goal_of(obj))}
    for goal in goals:
        if goal not in session.new and goal not in session.deleted:
            goal.version = (goal.version or 1) + 1


def _goal_of(obj: object) -> Goal | None:
    """The goal whose content `obj` is part of, if any."""
    if isinstance(obj, Goal):
        return obj
    if isinstance(obj, Indicator | Project):
        return obj.goal
    return None
