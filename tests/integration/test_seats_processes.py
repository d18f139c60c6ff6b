"""Issue 17's proof: two or three seats as real OS processes on one PostgreSQL database,
each with its own operator, racing for the same goal, the same year's sample, the same
import and a restore (tests/integration/seat_process.py is one seat). Runs when
BPM_TEST_DATABASE_URL names a server; the GUI side is tests/gui/test_seats_processes_gui.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.services.common.backups import create_backup, restore_backup
from app.services.goals import goal_for_project, load_goal
from app.services.goals.workbook import export_goals
from app.storage.database import open_database
from app.storage.joblock import JobBusyError
from app.storage.models import FiscalYear, SpotCheckBatch
from tests import factories
from tests.integration.goals_workbook_data import YEAR, goals_county, stored_goals

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.skipif(
    not os.environ.get("BPM_TEST_DATABASE_URL"), reason="BPM_TEST_DATABASE_URL not set"
)


def race(job: str, url: str, names: list[str], folder: Path, arg: object) -> dict[str, Any]:
    """Start one process per name at once; their outcomes by name."""
    folder.mkdir()
    seat = [sys.executable, "-m", "tests.integration.seat_process", job, url]
    seats = [
        subprocess.Popen([*seat, name, str(folder), str(len(names)), str(arg)], cwd=ROOT)
        for name in names
    ]
    for each in seats:
        assert each.wait(timeout=300) == 0
    return {n: json.loads((folder / f"{n}.json").read_text()) for n in names}


def test_two_seats_saving_one_goal_at_once_one_is_refused_and_nothing_is_lost(
    db, database_target, rules, tmp_path
):
    with db.transaction() as s:
        project_id = goals_county(s)[0].id
    before = goal_for_project(db, project_id)
    names = ["张三", "李四"]
    outcomes = race("save_goal", str(database_target), names, tmp_path / "seats", before.id)
    assert all(o["outcome"] == "ran" for o in outcomes.values()), outcomes
    losers = [n for n, o in outcomes.items() if o["conflict"]]
    assert len(losers) == 1  # exactly one seat was refused; the other's save went in
    (winner,) = set(names) - set(losers)
    conflict = outcomes[losers[0]]["conflict"]
    assert conflict["who"] == winner and f"已被{winner}于" in conflict["message"]
    assert conflict["message"].endswith("与您打开时的内容不同；您的修改未保存。")
    assert conflict["version"] == before.version + 1  # the winner's save, and only it
    assert f"{winner}输入的内容" in json.dumps(conflict["their_values"], ensure_ascii=False)
    stored = load_goal(db, before.id)  # the loser then merged field by field: nothing lost
    assert stored.version == before.version + 2
    for name in names:
        assert getattr(stored, outcomes[name]["field"]) == f"{name}输入的内容"


def test_three_seats_drawing_one_years_sample_store_one(db, database_target, rules, tmp_path):
    with db.transaction() as s:
        for project in factories.small_county(s, YEAR, per_department=1):
            factories.self_evaluation(s, project, claimed_total="90")
    names = ["张三", "李四", "王五"]
    outcomes = race("draw_sample", str(database_target), names, tmp_path / "seats", YEAR)
    ran = [n for n, o in outcomes.items() if o["outcome"] == "ran"]
    assert len(ran) == 1, outcomes
    for name in set(names) - set(ran):
        assert outcomes[name]["kind"] == "JobBusyError"
        assert outcomes[name]["message"].startswith(f"{YEAR}年度的抽取复核样本正在由 {ran[0]}（")
    with db.session() as s:
        batches = s.scalars(select(SpotCheckBatch)).all()
    assert [b.drawn_by for b in batches] == ran  # one sample, signed by the seat that drew it
    assert outcomes[ran[0]]["drawn"]


def test_two_seats_importing_at_once_one_runs_the_other_is_refused(
    db, test_server, rules, tmp_path
):
    with db.transaction() as s:
        goals_county(s)
    workbook = tmp_path / "目标.xlsx"
    export_goals(db, workbook, YEAR)
    name = test_server.new_database()  # an empty database both seats import into
    url = test_server.database_url(name)
    try:
        outcomes = race("import_goals", url, ["张三", "李四"], tmp_path / "seats", workbook)
        assert sorted(o["outcome"] for o in outcomes.values()) == ["ran", "refused"], outcomes
        winner = next(n for n, o in outcomes.items() if o["outcome"] == "ran")
        refused = next(o for o in outcomes.values() if o["outcome"] == "refused")
        assert refused["kind"] == "JobBusyError"
        assert refused["message"].startswith(f"导入数据正在由 {winner}（")
        assert outcomes[winner]["added"] == 9
        target = open_database(url)
        try:
            assert stored_goals(target) == stored_goals(db)  # as one import, nothing twice
        finally:
            target.close()
    finally:
        test_server.drop(name)


_RESTORING = """
import sys
from app.storage import joblock
from app.storage.database import open_database
db = open_database(sys.argv[1])
with joblock.held(db, joblock.RESTORE, joblock.ANY_YEAR, "张三"):
    print("held", flush=True)
    sys.stdin.read()
db.close()
"""


def test_a_restore_is_refused_while_another_seat_restores(db, database_target):
    backup = create_backup(db).path
    with db.transaction() as s:
        factories.year(s, 2031)  # made after the backup: a restore takes it away
    db.close()
    seat = subprocess.Popen(
        [sys.executable, "-c", _RESTORING, str(database_target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert seat.stdout is not None and seat.stdout.readline().strip() == "held"
        with pytest.raises(JobBusyError, match=r"^恢复备份正在由 张三（"):
            restore_backup(database_target, backup)
    finally:
        seat.communicate("", timeout=60)
    assert _years(database_target) == [2031]  # the refused restore touched nothing
    restore_backup(database_target, backup)  # the other seat is done: it runs
    assert _years(database_target) == []


def _years(target: str) -> list[int]:
    again = open_database(target)
    try:
        with again.session() as s:
            return list(s.scalars(select(FiscalYear.year)))
    finally:
        again.close()
