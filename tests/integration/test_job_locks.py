"""Whole-year jobs: one at a time, the second told who runs it (storage/joblock.py).

SQLite here, where only this process writes the file, so the lock is in memory;
tests/integration/test_seats_postgres.py runs seats against each other on a real server."""

from __future__ import annotations

import re
import socket
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.services.common.rollover import roll_forward
from app.services.goals.workbook import export_goals, import_goals
from app.services.monitoring import close_round, open_round
from app.services.setup import operator
from app.services.spotcheck import draw_sample
from app.storage import joblock
from app.storage.joblock import JobBusyError
from app.storage.models import JobLock
from tests import factories

YEAR = 2025


@pytest.fixture
def county(db):
    with db.transaction() as s:
        for project in factories.small_county(s, YEAR, per_department=1):
            factories.self_evaluation(s, project, claimed_total="90")
    return db


def test_a_second_draw_is_refused_naming_who_runs_the_first(county, rules):
    with joblock.held(county, joblock.SAMPLE, YEAR, "张三"):
        operator.choose("李四")
        with pytest.raises(JobBusyError) as caught:
            draw_sample(county, YEAR, rules, seed=1, ratio=Decimal(1))
    assert re.fullmatch(
        f"{YEAR}年度的抽取复核样本正在由 张三（{re.escape(socket.gethostname())}）"
        r"于 \d\d:\d\d 开始执行，请等其完成后再试。",
        caught.value.message,
    )
    assert caught.value.operator == "张三"
    draw_sample(county, YEAR, rules, seed=1, ratio=Decimal(1))  # released with the job: runs
    with county.session() as s:
        assert s.scalars(select(JobLock)).all() == []  # nothing of the lock in the file


def test_the_holder_is_the_seats_operator_and_other_years_run_alongside(county, rules, monkeypatch):
    taken = []
    real = joblock.held

    def spy(db, job, year, who):  # type: ignore[no-untyped-def]
        taken.append((job, year, who))
        return real(db, job, year, who)

    monkeypatch.setattr(joblock, "held", spy)
    operator.choose("王五")
    with real(county, joblock.ROLLOVER, YEAR + 5, "赵六"):
        roll_forward(county, YEAR, rules)  # 2025 → 2026: not the year held
    assert taken == [(joblock.ROLLOVER, YEAR, "王五")]
    with (
        real(county, joblock.ROLLOVER, YEAR + 1, "赵六"),
        pytest.raises(JobBusyError, match="正在由 赵六"),
    ):
        roll_forward(county, YEAR + 1, rules)


def test_closing_a_round_and_imports_take_the_lock(county, rules, tmp_path):
    open_round(county, YEAR, 6, rules)
    with (
        joblock.held(county, joblock.CLOSE_ROUND, YEAR, "张三"),
        pytest.raises(JobBusyError, match="关闭监控轮次正在由 张三"),
    ):
        close_round(county, YEAR, 6, rules)
    path = tmp_path / "目标.xlsx"
    export_goals(county, path, YEAR)
    with (
        joblock.held(county, joblock.IMPORT, joblock.ANY_YEAR, "张三"),
        pytest.raises(JobBusyError, match=r"^导入数据正在由 张三"),
    ):
        import_goals(county, path, rules, backup=False)
    import_goals(county, path, rules, backup=False)


def test_the_same_job_in_this_process_is_refused_not_taken_over(county):
    with (
        joblock.held(county, joblock.IMPORT, joblock.ANY_YEAR, "张三"),
        pytest.raises(JobBusyError, match="张三"),
        joblock.held(county, joblock.IMPORT, joblock.ANY_YEAR, "李四"),
    ):
        pass  # pragma: no cover
