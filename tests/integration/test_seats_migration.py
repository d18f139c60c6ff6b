"""Upgrading a database from before several seats: every form's record starts at version 1,
and two draws stored for one year (possible before, from two seats at once) become one."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine

from app.storage import migrate
from app.storage.database import open_database

DRAW = (
    "INSERT INTO spot_check_batches (year_id, ratio, seed, rule_json, drawn_by, drawn_at, note)"
    " VALUES (1, '0.2', ?, '{}', ?, '2026-05-01 10:00:00', '')"
)


def _database_before_seats(path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "monitor16_department_monitoring")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO fiscal_years (year, note) VALUES (2025, '')")
        conn.execute(
            "INSERT INTO sections (code, name, sort_order, is_active)"
            " VALUES ('S01', '预算股', 1, 1)"
        )
        conn.execute(DRAW, (1, "张三"))
        conn.execute(DRAW, (2, "李四"))  # the same year, a moment later


def test_the_later_of_two_draws_stays_and_records_start_at_version_one(tmp_path):
    path = tmp_path / "旧库.sqlite3"
    _database_before_seats(path)
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT seed, drawn_by FROM spot_check_batches").fetchall() == [
            (2, "李四")
        ]
        assert conn.execute("SELECT version FROM sections").fetchall() == [(1,)]
        with pytest.raises(sqlite3.IntegrityError):  # from now on the schema holds one
            conn.execute(DRAW, (3, "王五"))
