"""project_goal_ids: the goal of each listed project, creating nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.services.goals.lookup import project_goal_ids
from app.storage.models import Goal, Project
from tests import factories


def test_maps_projects_with_goals_and_skips_the_others(db):
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        with_goal = factories.project_with_goal(s, fy, dept, factories.ProjectSpec("A1"))
        bare = Project(
            year_id=fy.id, department_id=dept.id, code="A2", name="无目标项目", kind="新增"
        )
        s.add(bare)
        s.flush()
        expected = {with_goal.id: with_goal.goal.id}
        ids = [with_goal.id, bare.id, with_goal.id]
    assert project_goal_ids(db, ids) == expected
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Goal)) == 1


def test_many_ids_are_looked_up_in_chunks(db):
    assert project_goal_ids(db, list(range(1, 1500))) == {}
