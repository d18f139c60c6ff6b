"""回收站: soft delete, restore, and emptying for good after a backup."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.errors import UserError
from app.services.common.audit_log import list_audit
from app.services.common.backups import list_backups
from app.services.common.catalog import project_rows
from app.services.common.recycle_bin import (
    GOAL,
    PROJECT,
    delete_goal,
    delete_project,
    empty_recycle_bin,
    list_deleted,
    restore_item,
)
from app.services.monitoring import open_round
from app.storage.database import Database
from app.storage.models import (
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    PreAssessment,
    Project,
    Review,
    ReviewItem,
    SelfEvaluation,
    SelfEvaluationIndicator,
    SpotCheckBatch,
    SpotCheckSample,
)
from tests.factories import ProjectSpec, project_with_goal, self_evaluation, small_county, year

T1 = datetime(2025, 6, 1, 10, 0)
T2 = datetime(2025, 6, 2, 10, 0)


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """small_county 2025 (12 projects with goals); code → project id."""
    with db.transaction() as s:
        projects = small_county(s, 2025)
        s.flush()
        return {p.code: p.id for p in projects}


def goal_of(db: Database, project_id: int) -> int:
    with db.session() as s:
        return s.scalar(select(Goal.id).where(Goal.project_id == project_id))


def live_codes(db: Database) -> set[str]:
    return {row.code for row in project_rows(db, 2025)}


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_deleted_project_leaves_the_lists_and_its_goal_goes_with_it(db, county):
    delete_project(db, county["219001001"], now=T1)
    assert "219001001" not in live_codes(db)
    assert len(live_codes(db)) == 11
    items = list_deleted(db, 2025)
    assert [(i.kind, i.code, i.kind_label) for i in items] == [(PROJECT, "219001001", "项目")]
    assert items[0].department == "县教育局" and items[0].deleted_at == T1
    with db.session() as s:
        assert s.get(Goal, goal_of(db, county["219001001"])).deleted_at == T1
    (entry,) = list_audit(db, object_type="project")
    assert entry.action == "delete" and entry.object_id == county["219001001"]
    assert entry.before["code"] == "219001001"


def test_restoring_a_project_brings_back_its_goal(db, county):
    delete_project(db, county["219001001"], now=T1)
    restore_item(db, PROJECT, county["219001001"])
    assert "219001001" in live_codes(db)
    assert list_deleted(db) == []
    with db.session() as s:
        assert s.get(Goal, goal_of(db, county["219001001"])).deleted_at is None
    assert [e.action for e in list_audit(db, object_type="project")] == ["restore", "delete"]


def test_a_goal_deleted_earlier_stays_deleted_when_its_project_is_restored(db, county):
    project_id = county["219001002"]
    delete_goal(db, goal_of(db, project_id), now=T1)
    delete_project(db, project_id, now=T2)
    assert [i.kind for i in list_deleted(db)] == [PROJECT]  # the goal is listed with it
    with pytest.raises(UserError, match="请先恢复项目"):
        restore_item(db, GOAL, goal_of(db, project_id))
    restore_item(db, PROJECT, project_id)
    (item,) = list_deleted(db)
    assert (item.kind, item.code, item.deleted_at) == (GOAL, "219001002", T1)
    restore_item(db, GOAL, item.id)
    assert list_deleted(db) == []


def test_deleting_twice_or_restoring_what_is_not_there_is_a_user_error(db, county):
    delete_project(db, county["219001001"])
    with pytest.raises(UserError, match="已在回收站"):
        delete_project(db, county["219001001"])
    with pytest.raises(UserError, match="不在回收站"):
        restore_item(db, PROJECT, county["219002001"])


def test_list_deleted_filters_by_year(db, county):
    delete_project(db, county["219001001"])
    assert list_deleted(db, 2024) == []
    assert len(list_deleted(db, 2025)) == 1


def add_workflow_rows(db: Database, project_id: int, rules) -> None:
    """Everything that hangs off a project: monitoring, self-evaluation, spot check, ex-ante."""
    open_round(db, 2025, 6, rules)
    with db.transaction() as s:
        project = s.get(Project, project_id)
        evaluation_id = self_evaluation(s, project)
        batch = SpotCheckBatch(
            year_id=project.year_id, ratio=Decimal("0.2"), seed=1, drawn_by="x", drawn_at=T1
        )
        s.add(batch)
        s.flush()
        sample = SpotCheckSample(batch_id=batch.id, evaluation_id=evaluation_id, position=1)
        s.add(sample)
        s.flush()
        review = Review(sample_id=sample.id)
        s.add(review)
        s.flush()
        first = s.scalars(
            select(SelfEvaluationIndicator).where(
                SelfEvaluationIndicator.evaluation_id == evaluation_id
            )
        ).first()
        s.add(ReviewItem(review_id=review.id, evaluation_indicator_id=first.id))
        s.add(PreAssessment(project_id=project_id, requested_amount=Decimal(100)))


def test_emptying_backs_up_first_then_deletes_rows_and_their_children(db, county, rules):
    doomed, kept = county["219001001"], county["219002001"]
    add_workflow_rows(db, doomed, rules)
    entries_before = count(db, MonitoringEntry)
    kept_goal = goal_of(db, kept)
    delete_project(db, doomed)
    delete_goal(db, kept_goal)

    result = empty_recycle_bin(db, now=T2)

    assert (result.projects, result.goals) == (1, 2)
    (backup,) = list_backups(db)
    assert backup.path == result.backup_path and backup.reason == "before-empty-recycle-bin"
    assert backup.years[0].projects == 11  # the backup still holds the deleted project's row
    with sqlite3.connect(result.backup_path) as conn:
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == 12
    conn.close()
    with db.session() as s:
        assert s.get(Project, doomed) is None
        assert s.get(Project, kept) is not None and s.get(Goal, kept_goal) is None
        assert s.scalar(select(func.count()).select_from(SelfEvaluation)) == 0
        assert s.scalar(select(func.count()).select_from(SpotCheckSample)) == 0
        orphans = (
            select(func.count())
            .select_from(Indicator)
            .where(Indicator.goal_id.not_in(select(Goal.id)))
        )
        assert s.scalar(orphans) == 0
    assert count(db, MonitoringEntry) == entries_before - 1  # the kept project keeps its entry
    assert count(db, MonitoringIndicator) > 0
    assert count(db, PreAssessment) == count(db, ReviewItem) == count(db, Review) == 0
    assert list_deleted(db) == []
    assert len(live_codes(db)) == 11
    purged = list_audit(db, object_type=None)
    assert sorted((e.object_type, e.action) for e in purged if e.action == "purge") == [
        ("goal", "purge"),
        ("project", "purge"),
    ]
    if db.backend == "sqlite":  # a server checks every foreign key on every write
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_emptying_one_year_leaves_other_years_in_the_bin(db, county):
    with db.transaction() as s:
        dept = s.get(Project, county["219001001"]).department
        other = project_with_goal(s, year(s, 2024), dept, ProjectSpec(code="219001024")).id
    delete_project(db, other)
    delete_project(db, county["219001001"])
    assert empty_recycle_bin(db, year=2025).projects == 1
    assert [(i.year, i.kind) for i in list_deleted(db)] == [(2024, PROJECT)]


def test_a_read_only_database_cannot_empty_the_bin(db, county):
    from app.storage.database import ReadOnlyDatabaseError, open_database

    delete_project(db, county["219001001"])
    reader = open_database(db.target, read_only=True)
    try:
        with pytest.raises(ReadOnlyDatabaseError):
            empty_recycle_bin(reader)
        with pytest.raises(ReadOnlyDatabaseError):
            restore_item(reader, PROJECT, county["219001001"])
    finally:
        reader.close()
