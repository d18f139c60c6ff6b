"""goals.version: every write to a goal's content moves it on, and the editor's save refuses
to overwrite a goal that changed since it was loaded (the seam for several seats)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import GoalStatus
from app.domain.errors import StaleRecordError
from app.services.common.recycle_bin import delete_project
from app.services.goals import goal_for_project, load_goal, save_goal, submit_goal
from app.services.goals.workbook import export_goals, import_goals
from app.spreadsheet import goals_sheets as gs
from app.storage.database import Database
from app.storage.models import Goal, Project
from tests import factories
from tests.integration.goals_workbook_data import YEAR, goals_county
from tests.integration.test_goals_workbook import edit, row_of


def _project(db: Database) -> int:
    with db.transaction() as s:
        fy = factories.year(s, 2025)
        dept = factories.department(s, "219001", "县教育局")
        spec = factories.ProjectSpec(code="219001053", status=GoalStatus.DRAFT)
        return factories.project_with_goal(s, fy, dept, spec).id


def test_each_write_to_the_goal_its_rows_or_its_project_moves_the_version_on(db, rules):
    detail = goal_for_project(db, _project(db))
    assert detail.version == 1
    save_goal(db, detail.id, replace(detail.to_edit(), overall_target="新的目标"), rules)
    assert load_goal(db, detail.id).version == 2
    with db.transaction() as s:  # only an indicator row changes
        s.get_one(Goal, detail.id).indicators[0].name = "改名的指标"
    assert load_goal(db, detail.id).version == 3
    with db.transaction() as s:  # only the project's header changes
        s.get_one(Project, detail.project_id).total_amount = Decimal(9_000_000)
    assert load_goal(db, detail.id).version == 4
    with db.transaction() as s:  # reading changes nothing
        s.get_one(Goal, detail.id).indicators[0].name = "改名的指标"
    assert load_goal(db, detail.id).version == 4


def test_save_over_a_goal_changed_since_loading_is_refused(db, rules):
    opened = goal_for_project(db, _project(db))
    other = goal_for_project(db, opened.project_id)  # another window, or another seat
    save_goal(db, other.id, replace(other.to_edit(), total_amount=Decimal(9_000_000)), rules)

    mine = replace(opened.to_edit(), overall_target="我输入的目标")
    with pytest.raises(StaleRecordError) as caught:
        save_goal(db, opened.id, mine, rules, loaded_version=opened.version)
    assert caught.value.message.startswith("该绩效目标（")
    assert "修改（修改绩效目标）" in caught.value.message  # what happened, from the audit trail
    assert caught.value.message.endswith("与您打开时的内容不同；您的修改未保存。")
    assert not caught.value.gone
    assert caught.value.version == load_goal(db, opened.id).version
    assert caught.value.change.values["资金总额"]  # the other seat's values travel along
    stored = load_goal(db, opened.id)
    assert stored.total_amount == Decimal(9_000_000)  # the other change stands
    assert stored.overall_target != "我输入的目标"

    fresh = load_goal(db, opened.id)  # reopened: saving works again
    save_goal(db, fresh.id, mine, rules, loaded_version=fresh.version)
    assert load_goal(db, opened.id).overall_target == "我输入的目标"


def test_a_status_change_counts_as_a_change(db, rules):
    opened = goal_for_project(db, _project(db))
    submit_goal(db, opened.id, rules)
    assert load_goal(db, opened.id).version > opened.version


def test_an_import_that_changes_a_goal_moves_its_version_on(db, tmp_path: Path, rules):
    with db.transaction() as s:
        goals_county(s, statuses=(GoalStatus.DRAFT,))
    path = tmp_path / "目标.xlsx"
    export_goals(db, path, YEAR)
    with db.session() as s:
        before = dict(s.execute(select(Project.code, Goal.version).join(Goal.project)).all())
    code = sorted(before)[0]
    row = row_of(path, gs.PROJECTS_SHEET, "项目编码", code)
    edit(path, gs.PROJECTS_SHEET, {(row, "年度总体目标"): "表格里改过的目标"})
    import_goals(db, path, rules)
    with db.session() as s:
        after = dict(s.execute(select(Project.code, Goal.version).join(Goal.project)).all())
    assert after[code] == before[code] + 1
    assert {c: v for c, v in after.items() if c != code} == {
        c: v for c, v in before.items() if c != code
    }


def test_a_stale_save_never_brings_back_a_goal_moved_to_the_bin(db, rules):
    opened = goal_for_project(db, _project(db))
    delete_project(db, opened.project_id)  # another seat moves it to the 回收站
    mine = replace(opened.to_edit(), overall_target="我输入的目标")
    with pytest.raises(StaleRecordError) as caught:
        save_goal(db, opened.id, mine, rules, loaded_version=opened.version)
    assert caught.value.gone
    assert "删除或移入回收站，您的修改未保存，也不会把它恢复回来。" in caught.value.message
    with db.session() as s:
        goal = s.get_one(Goal, opened.id)
        assert goal.project is not None and goal.project.deleted_at is not None
        assert goal.overall_target != "我输入的目标"
