"""Upgrading a database made before rules were kept per year: each year keeps the rules it
was scored under (the file chosen in 设置 → 规则集 then, else the shipped default)."""

from __future__ import annotations

import sqlite3

from alembic import command
from sqlalchemy import create_engine

from app.services.common.year_rules import rules_for_year, rules_text_for_year
from app.storage import migrate
from app.storage.database import open_database
from tests import factories


def _database_at_0001(path, chosen_file: str | None) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO fiscal_years (year, note) VALUES (?, '')", [(2024,), (2025,)])
        if chosen_file is not None:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('rules.path', ?)", (chosen_file,)
            )


def test_every_year_keeps_the_rule_file_it_used(tmp_path):
    province = factories.province_rules_file(tmp_path)
    path = tmp_path / "旧库.sqlite3"
    _database_at_0001(path, str(province))
    db = open_database(path)
    try:
        assert db.upgraded_from == "0001"
        for year in (2024, 2025):
            stored = rules_text_for_year(db, year)
            assert stored.own and stored.text == province.read_text(encoding="utf-8")
            assert rules_for_year(db, year).name == "某省规则"
        province.unlink()  # the file is no longer needed: the database carries the rules
        assert rules_for_year(db, 2025).goals.execution_points == 20
        with sqlite3.connect(path) as conn:
            assert (
                conn.execute("SELECT count(*) FROM settings WHERE key = 'rules.path'").fetchone()[0]
                == 0
            )
    finally:
        db.close()


def test_without_a_chosen_file_the_years_keep_the_shipped_rules(tmp_path):
    path = tmp_path / "旧库.sqlite3"
    _database_at_0001(path, None)
    db = open_database(path)
    try:
        assert rules_text_for_year(db, 2024).own
        assert rules_for_year(db, 2024).name == "默认规则（全国通用）"
    finally:
        db.close()


def test_the_wording_a_clerk_had_edited_becomes_every_years_wording(tmp_path, monkeypatch):
    from app import paths
    from app.services.reports.wording import sections, wording_for_year

    edited = paths.resources_dir() / "reports" / "annual_report.toml"
    text = edited.read_text(encoding="utf-8").replace("认真贯彻", "坚决贯彻", 1)
    (tmp_path / "data" / "reports").mkdir(parents=True)
    (tmp_path / "data" / "reports" / "annual_report.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "data")
    path = tmp_path / "旧库.sqlite3"
    _database_at_0001(path, None)
    db = open_database(path)
    try:
        for year in (2024, 2025):
            stored = wording_for_year(db, year)
            assert stored.own and stored.text == text
        intro = {s.key: s.text for s in sections(text)}["report.intro"]
        assert "坚决贯彻" in intro
    finally:
        db.close()


def test_without_an_edited_copy_years_print_the_shipped_wording(tmp_path, monkeypatch):
    from app import paths
    from app.services.reports.wording import wording_for_year

    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "空")
    path = tmp_path / "旧库.sqlite3"
    _database_at_0001(path, None)
    db = open_database(path)
    try:
        assert not wording_for_year(db, 2025).own
    finally:
        db.close()
