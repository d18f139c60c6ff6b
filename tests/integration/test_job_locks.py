"""Whole-year jobs: one seat at a time, the second told who runs it (storage/joblock.py).

SQLite here; tests/integration/test_seats_postgres.py does the same on a real server."""

from __future__ import annotations

import os
import socket
from datetime import datetime
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
        with county.session() as s:
            since = s.scalars(select(JobLock.since)).one()
        operator.choose("李四")
        with pytest.raises(JobBusyError) as caught:
            draw_sample(county, YEAR, rules, seed=1, ratio=Decimal(1))
    assert caught.value.message == (
        f"{YEAR}年度的抽取复核样本正在由 张三（{socket.gethostname()}）于 {since:%H:%M} "
        "开始执行，请等其完成后再试。"
    )
    with county.session() as s:
        assert s.scalars(select(JobLock)).all() == []  # released with the job
    draw_sample(county, YEAR, rules, seed=1, ratio=Decimal(1))  # now it runs


def test_the_holder_is_the_seats_operator_and_other_years_run_alongside(county, rules, monkeypatch):
    operator.choose("王五")
    seen: list[str] = []
    original = joblock._write_holder

    def spy(conn, job, year, who):  # type: ignore[no-untyped-def]
        seen.append(who)
        original(conn, job, year, who)

    with joblock.held(county, joblock.ROLLOVER, YEAR + 5, "赵六"):
        monkeypatch.setattr(joblock, "_write_holder", spy)
        roll_forward(county, YEAR, rules)  # 2025 → 2026: not the year held
    assert seen == ["王五"]


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


@pytest.mark.parametrize(
    "left_by",
    [("别的电脑", 1), (socket.gethostname(), os.getpid())],  # a crashed seat; a restored backup
    ids=["dead process", "restored backup"],
)
def test_a_row_no_job_is_running_for_is_taken_over(county, rules, left_by):
    host, pid = left_by
    with county.transaction() as s:
        s.add(JobLock(job=joblock.SAMPLE, year=YEAR, operator="张三", host=host, pid=pid,
                      since=datetime(2026, 1, 5, 9, 0)))  # fmt: skip
    draw_sample(county, YEAR, rules, seed=1, ratio=Decimal(1))
    with county.session() as s:
        assert s.scalars(select(JobLock)).all() == []


def test_the_same_job_in_this_process_is_refused_not_taken_over(county):
    with (
        joblock.held(county, joblock.IMPORT, joblock.ANY_YEAR, "张三"),
        pytest.raises(JobBusyError, match="张三"),
        joblock.held(county, joblock.IMPORT, joblock.ANY_YEAR, "李四"),
    ):
        pass  # pragma: no cover
