"""Several seats on one PostgreSQL server: the job lock and the version check hold between
separate connections and processes. Runs when BPM_TEST_DATABASE_URL names a server
(postgresql+psycopg://user@host:port/db, with rights to CREATE DATABASE)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import StaleRecordError
from app.storage import joblock, versions
from app.storage.joblock import JobBusyError
from app.storage.models import Base, Section

URL = os.environ.get("BPM_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="BPM_TEST_DATABASE_URL not set")


@dataclass
class Seat:
    """What joblock needs of a Database: its engine."""

    engine: Engine


@pytest.fixture
def server() -> Iterator[Engine]:
    """A fresh database on the server with the app's tables, dropped afterwards."""
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    name = f"seats_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(URL).set(database=name))
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_second_seat_is_refused_by_name_and_a_third_may_go_after(server):
    first, second = Seat(server), Seat(create_engine(server.url))
    with joblock.held(first, joblock.SAMPLE, 2025, "张三"):  # type: ignore[arg-type]
        with (
            pytest.raises(JobBusyError, match=r"2025年度的抽取复核样本正在由 张三（"),
            joblock.held(second, joblock.SAMPLE, 2025, "李四"),  # type: ignore[arg-type]
        ):
            pass  # pragma: no cover
        with joblock.held(second, joblock.SAMPLE, 2024, "李四"):  # type: ignore[arg-type]
            pass  # another year runs alongside
    with joblock.held(second, joblock.SAMPLE, 2025, "李四"):  # type: ignore[arg-type]
        pass
    second.engine.dispose()


def test_a_seat_killed_while_holding_the_lock_blocks_nobody(server):
    script = (
        "import sys, time\n"
        "from sqlalchemy import create_engine\n"
        "from app.storage import joblock\n"
        "class Seat: engine = create_engine(sys.argv[1])\n"
        "with joblock.held(Seat, joblock.ROLLOVER, 2025, '张三'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"
    )
    url = server.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", script, url], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(JobBusyError, match="张三"),
            joblock.held(Seat(server), joblock.ROLLOVER, 2025, "李四"),  # type: ignore[arg-type]
        ):
            pass  # pragma: no cover
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 10  # the server notices the dropped connection
    while True:
        try:
            with joblock.held(Seat(server), joblock.ROLLOVER, 2025, "李四"):  # type: ignore[arg-type]
                break
        except JobBusyError:
            assert time.monotonic() < deadline, "the dead seat's lock was never released"
            time.sleep(0.2)


def test_two_seats_saving_one_record_at_once_one_is_refused(server):
    sessions = sessionmaker(server, expire_on_commit=False)
    versions.watch(sessions)
    with sessions.begin() as s:
        s.add(Section(code="S01", name="预算股", sort_order=1, is_active=True))
    loaded = 1  # both seats opened the form at version 1
    first_saved = threading.Event()
    outcome: list[object] = []

    def save(session: Session, name: str) -> None:
        section = session.query(Section).one()
        versions.check(session, section, loaded, "section", section.id, "股室“预算股”")
        section.name = name

    with sessions.begin() as a:
        save(a, "甲股")  # seat A holds the row FOR UPDATE until it commits

        def seat_b() -> None:
            try:
                with sessions.begin() as b:
                    save(b, "乙股")
                outcome.append("saved")
            except StaleRecordError as exc:
                outcome.append(exc)

        b_thread = threading.Thread(target=seat_b)
        b_thread.start()
        time.sleep(0.5)
        assert outcome == []  # B waits on A's row lock instead of reading the old version
        first_saved.set()
    b_thread.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], StaleRecordError)
    with sessions() as s:
        section = s.query(Section).one()
        assert (section.name, section.version) == ("甲股", 2)
