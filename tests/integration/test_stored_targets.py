"""Stated targets parsed once when saved: scores equal the old per-row parse, every writer
stores the parse, and the migration parses the rows an older database already holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select

from app.domain.indicator_values import parse_indicator_value
from app.domain.rules import RuleSet
from app.services.demo import build_demo
from app.services.evaluation import inputs, score_year
from app.services.evaluation.scores import ProjectScore
from app.storage import migrate
from app.storage.database import Database, open_database
from app.storage.models import SelfEvaluationIndicator
from app.storage.models.workflow import stated_parse

PARSE_COLUMNS = ("stated_comparator", "stated_number", "stated_unit", "stated_text")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    build_demo(database, year=2025, seed=11, scale=0.05)
    yield database
    database.close()


def _everything(scores: list[ProjectScore]) -> list[object]:
    """Every figure and text a reader of the scores can see."""
    return [
        (
            s.project_code, s.total, s.grade, s.flags, s.total_explanation,
            s.execution.explanation,
            [(i.target, i.points, i.actual, i.score, i.explanation, i.flags) for i in s.indicators],
        )
        for s in scores
    ]  # fmt: skip


def test_scores_from_the_stored_parse_equal_the_old_per_row_parse(
    demo: Database, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = score_year(demo, 2025, rules)
    with monkeypatch.context() as m:
        m.setattr(inputs, "stored_target", lambda row: parse_indicator_value(row.stated_target))
        parsed_now = score_year(demo, 2025, rules)
    assert len(stored) > 50
    assert sum(len(s.indicators) for s in stored) > 500
    assert _everything(stored) == _everything(parsed_now)


def test_the_demo_stores_the_parse_of_every_stated_target(demo: Database) -> None:
    columns = [getattr(SelfEvaluationIndicator, c) for c in ("stated_target", *PARSE_COLUMNS)]
    with demo.session() as session:
        rows = session.execute(select(*columns)).all()
    assert rows and any(row.stated_number is not None for row in rows)
    for row in rows:
        assert dict(zip(PARSE_COLUMNS, row[1:], strict=True)) == stated_parse(row.stated_target)


def test_an_orm_write_keeps_the_parse_with_the_text() -> None:
    row = SelfEvaluationIndicator(stated_target="≧ 1,200 人次")
    parts = (row.stated_comparator, row.stated_number, row.stated_unit)
    assert parts == ("≥", Decimal(1200), "人次")
    row.stated_target = "达到预期"
    assert (row.stated_comparator, row.stated_number, row.stated_text) == ("", None, "达到预期")


def test_the_upgrade_parses_the_rows_an_older_database_holds(tmp_path: Path) -> None:
    path = tmp_path / "旧库.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "monitor16_department_monitoring")
    engine.dispose()
    targets = ["≥95%", "≦ 12 个月", "定性：群众满意", "2025年12月底前", ""]
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO self_evaluation_indicators (evaluation_id, position, level1, level2, "
            "name, stated_target, actual_text, qualitative_band, reason) "
            "VALUES (1, ?, '产出指标', '数量指标', ?, ?, '', '', '')",
            [(n, f"指标{n}", t) for n, t in enumerate(targets)],
        )
    db = open_database(path)
    try:
        with db.session() as session:
            rows = session.scalars(
                select(SelfEvaluationIndicator).order_by(SelfEvaluationIndicator.position)
            ).all()
            got = [{c: getattr(r, c) for c in PARSE_COLUMNS} for r in rows]
    finally:
        db.close()
    assert got == [stated_parse(t) for t in targets]
    assert [(g["stated_comparator"], g["stated_number"], g["stated_unit"]) for g in got] == [
        ("≥", Decimal(95), "%"), ("≤", Decimal(12), "个月"), ("定性", None, ""), ("", None, ""),
        ("", None, ""),
    ]  # fmt: skip
