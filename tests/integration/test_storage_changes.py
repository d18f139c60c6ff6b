"""A committed transaction announces the kinds of what it wrote; a rollback announces
nothing; every table has a kind (so the audit trail and the pages share one vocabulary)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from app.services.common import audit
from app.services.common.audit_log import OBJECT_LABELS
from app.storage import kinds
from app.storage.database import Database
from app.storage.models import Base, Department, FiscalYear, Goal, Indicator, Project


@pytest.fixture
def heard(db: Database) -> list[frozenset[str]]:
    announced: list[frozenset[str]] = []
    db.subscribe(announced.append)
    return announced


def _project(db: Database) -> int:
    with db.transaction() as s:
        year, unit = FiscalYear(year=2024), Department(code="101001", name="单位")
        s.add_all([year, unit])
        s.flush()
        project = Project(
            year_id=year.id, department_id=unit.id, code="P1", name="项目", kind="新增"
        )
        s.add(project)
        s.flush()
        return project.id


def test_commit_announces_the_kinds_written(db: Database, heard: list[frozenset[str]]) -> None:
    _project(db)
    assert heard == [{kinds.YEAR, kinds.DEPARTMENT, kinds.PROJECT}]
    assert db.change_count == 1


def test_child_rows_count_as_their_parent_kind(db: Database, heard: list) -> None:
    project_id = _project(db)
    heard.clear()
    with db.transaction() as s:
        project = s.get_one(Project, project_id)
        goal = Goal(
            scope="project",
            year_id=project.year_id,
            department_id=project.department_id,
            project_id=project_id,
            status="草稿",
        )
        goal.indicators.append(
            Indicator(
                position=1,
                level1="产出指标",
                level2="数量指标",
                name="x",
                comparator=">=",
                points=10,
            )
        )
        s.add(goal)
    assert heard == [{kinds.GOAL}]


def test_bulk_update_is_announced(db: Database, heard: list) -> None:
    _project(db)
    heard.clear()
    with db.transaction() as s:
        s.execute(update(Project).values(deleted_at=datetime(2024, 5, 1)))
    assert heard == [{kinds.PROJECT}]


def test_rollback_announces_nothing(db: Database, heard: list) -> None:
    project_id = _project(db)
    heard.clear()
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.get_one(Project, project_id).name = "改名"
        s.flush()
        raise RuntimeError("失败")
    with db.transaction() as s:  # a later commit does not announce the rolled-back write
        s.get_one(Project, project_id)
    with db.session() as s:  # nor does closing a session that wrote but never committed
        s.get_one(Project, project_id).name = "再改"
        s.flush()
    assert heard == []


def test_unchanged_assignment_and_reads_announce_nothing(db: Database, heard: list) -> None:
    project_id = _project(db)
    heard.clear()
    with db.transaction() as s:
        project = s.get_one(Project, project_id)
        project.name = project.name
    assert heard == []


def test_unsubscribe_and_failing_subscriber(db: Database, heard: list) -> None:
    def broken(_kinds: frozenset[str]) -> None:
        raise ValueError("bug in a listener")

    db.subscribe(broken)
    later: list[frozenset[str]] = []
    stop = db.subscribe(later.append)
    stop()
    _project(db)  # the failing listener is logged, the others still hear
    assert len(heard) == 1 and later == []


def test_every_table_has_a_kind_and_every_kind_a_label() -> None:
    assert set(kinds.TABLE_KINDS) == set(Base.metadata.tables)
    assert {k for k in kinds.TABLE_KINDS.values() if k} <= kinds.ALL_KINDS
    assert set(OBJECT_LABELS) >= kinds.ALL_KINDS
    assert audit.GOAL is kinds.GOAL  # one vocabulary: the audit trail re-exports it
