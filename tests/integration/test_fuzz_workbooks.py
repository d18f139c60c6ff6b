"""Fuzz every import (goals, monitoring, self-evaluation, library): no crash, no partial write,
and no stored data changed that the result does not state.

Each kind starts from a database that already holds what the department filled in (the file
was imported once), so re-importing the untouched file changes nothing. Every mutant (the
goals fuzz's 1-3 seeded mutations) must end in one of:
- refused: ValidationFailed with every problem located (sheet, and row or column unless it
  is about a whole sheet), DeletionsNotConfirmed listing what it would remove, or another
  UserError about the file — and the database byte-for-byte as it was;
- accepted unchanged: nothing stored changed;
- accepted changed, with the change stated: the result counts it, only the kind's own tables
  changed, and a stored value that became blank (or a row that went) is listed in the
  result's losses (the library import only adds and updates: counted).
The figures per kind are printed. A failing case names its seed: FUZZ_SEED=<seed> reruns it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import inspect, text

from app.domain.errors import DeletionsNotConfirmed, UserError, ValidationFailed
from app.domain.rules import RuleSet
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.services.goals.workbook import export_goals, import_goals
from app.services.library import workbook as library_workbook
from app.services.library.records import load_default_library
from app.services.monitoring import open_round
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.storage.database import Database
from tests import factories
from tests.integration.goals_workbook_data import YEAR, goals_county
from tests.integration.test_fuzz_goals_workbook import MUTATIONS, SHEET_LEVEL, _seeds
from tests.integration.test_selfeval_workbook import fill_all

Snapshot = dict[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Kind:
    name: str
    prepare: Callable[[Database, Path, RuleSet], Path]  # the filled file, already imported
    run: Callable[[Database, Path, RuleSet], Any]
    tables: tuple[str, ...]  # what the import may change (the audit trail too)
    changes: Callable[[Any], int]  # how many objects the result says it changed
    losses: Callable[[Any], tuple[str, ...]] | None  # what it says it blanked or deleted


def _goals(db: Database, tmp: Path, rules: RuleSet) -> Path:
    with db.transaction() as s:
        goals_county(s)
    path = tmp / "目标.xlsx"
    export_goals(db, path, YEAR)
    return path


def _monitoring(db: Database, tmp: Path, rules: RuleSet) -> Path:
    with db.transaction() as s:
        factories.monitoring_county(s)
    open_round(db, YEAR, 6, rules)
    path = tmp / "监控.xlsx"
    export_monitoring_workbook(db, YEAR, 6, path, rules)
    book = openpyxl.load_workbook(path)
    projects, indicators = book["项目"], book["指标"]
    heads = {c.value: c.column for c in projects[1]}
    for row in range(2, projects.max_row + 1):
        if projects.cell(row, 1).value is not None:
            projects.cell(row, heads["执行数（万元）"]).value = 5
    heads = {c.value: c.column for c in indicators[1]}
    for row in range(2, indicators.max_row + 1):
        if indicators.cell(row, 1).value is not None:
            indicators.cell(row, heads["当前完成值"]).value = "1"
    book.save(path)
    import_monitoring_workbook(db, path, rules)
    return path


def _selfeval(db: Database, tmp: Path, rules: RuleSet) -> Path:
    with db.transaction() as s:
        factories.small_county(s, YEAR, per_department=2)
    path = tmp / "自评.xlsx"
    export_selfeval(db, YEAR, path)
    fill_all(path)
    import_selfeval(db, path)
    return path


def _library(db: Database, tmp: Path, rules: RuleSet) -> Path:
    load_default_library(db)
    path = tmp / "指标库.xlsx"
    library_workbook.export_library(db, path)
    return path


KINDS = {
    "goals": Kind(
        "goals",
        _goals,
        lambda db, p, rules: import_goals(db, p, rules, backup=False),
        ("fiscal_years", "sections", "departments", "projects", "goals", "indicators"),
        lambda r: len(r.added) + len(r.changed) + len(r.departments_added),
        lambda r: r.losses,
    ),
    "monitoring": Kind(
        "monitoring",
        _monitoring,
        lambda db, p, rules: import_monitoring_workbook(db, p, rules),
        ("monitoring_entries", "monitoring_indicators"),
        lambda r: r.changed_projects + r.changed_indicators,
        lambda r: r.losses,
    ),
    "selfeval": Kind(
        "selfeval",
        _selfeval,
        lambda db, p, rules: import_selfeval(db, p),
        ("self_evaluations", "self_evaluation_indicators"),
        lambda r: r.created + r.updated,
        lambda r: r.losses,
    ),
    "library": Kind(
        "library",
        _library,
        lambda db, p, rules: library_workbook.import_library(db, p, rules),
        ("library_indicators",),
        lambda r: len(r.added) + len(r.changed),
        None,
    ),
}


def snapshot(db: Database) -> Snapshot:
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {
            name: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))]
            for name in names
        }


def _filled(rows: list[tuple[Any, ...]]) -> Counter[int]:
    """How many non-blank values each column holds."""
    counts: Counter[int] = Counter()
    for row in rows:
        for i, value in enumerate(row):
            if value is not None and value != "":
                counts[i] += 1
    return counts


def _blanked(before: Snapshot, after: Snapshot, tables: tuple[str, ...]) -> list[str]:
    """Tables where rows went or a column holds fewer values than before."""
    found = []
    for table in tables:
        was, now = _filled(before[table]), _filled(after[table])
        if len(after[table]) < len(before[table]) or any(now[i] < n for i, n in was.items()):
            found.append(table)
    return found


def _located(exc: ValidationFailed) -> bool:
    return bool(exc.problems) and all(
        p.sheet and (p.row is not None or p.column or any(k in p.message for k in SHEET_LEVEL))
        for p in exc.problems
    )


def _case(kind: Kind, db: Database, rules: RuleSet, source: Path, target: Path, seed: int) -> str:
    rng = random.Random(seed)
    book = openpyxl.load_workbook(source)
    applied = [rng.choice(MUTATIONS) for _ in range(rng.randint(1, 3))]
    for mutation in applied:
        mutation(book, rng)
    try:
        book.save(target)
    except ValueError:  # openpyxl will not write it (the only sheet hidden): no such file
        return "not a file (openpyxl refused to save it)"
    before = snapshot(db)
    where = (kind.name, seed, ", ".join(m.__name__ for m in applied))
    outcome, result = "accepted", None
    try:
        result = kind.run(db, target, rules)
    except ValidationFailed as exc:
        assert _located(exc), (where, [str(p) for p in exc.problems])
        outcome = "refused, located"
    except DeletionsNotConfirmed as exc:
        assert exc.losses, where
        outcome = "refused, deletions listed"
    except UserError as exc:
        assert exc.message, where
        outcome = "refused, whole file"
    except Exception as exc:
        return f"crash: {where} {type(exc).__name__}: {exc}"
    after = snapshot(db)
    if outcome.startswith("refused"):
        assert after == before, ("partial write", where)
        return outcome
    user_tables = {t for t in before if t not in ("audit_log", "change_feed")}  # records, not data
    changed = {t for t in user_tables if before[t] != after.get(t)}
    if not changed:
        return "accepted, unchanged"
    assert changed <= set(kind.tables), ("changed outside its tables", where, changed)
    assert kind.changes(result) > 0, ("changed without saying so", where, changed)
    blanked = _blanked(before, after, kind.tables)
    if blanked and kind.losses is not None:
        assert kind.losses(result), ("blanked without listing it", where, blanked)
    return "accepted, changed and stated" + (" (blanked a value)" if blanked else "")


def run_fuzz(kind: Kind, db: Database, rules: RuleSet, tmp: Path, seeds: range) -> Counter[str]:
    source = kind.prepare(db, tmp, rules)
    tally: Counter[str] = Counter()
    crashes = []
    for seed in seeds:
        outcome = _case(kind, db, rules, source, tmp / f"case{seed % 5}.xlsx", seed)
        if outcome.startswith("crash"):
            crashes.append(outcome)
            outcome = "crash"
        tally[outcome] += 1
    assert not crashes, crashes
    return tally


def _print(kind: str, tally: Counter[str], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        figures = "，".join(f"{k} {n}" for k, n in sorted(tally.items()))
        print(f"\n[fuzz {kind}] 变体 {sum(tally.values())} 个：{figures}；crash 0")


# The default run stays short (test_fuzz_goals_workbook covers goals' crashes at length).
DEFAULT_SEEDS = {"goals": 8, "monitoring": 15, "selfeval": 15, "library": 15}


@pytest.mark.parametrize("kind", list(KINDS))
def test_mutated_workbooks_are_refused_located_or_change_only_what_they_state(
    db, rules, tmp_path, kind, capsys
):
    tally = run_fuzz(KINDS[kind], db, rules, tmp_path, _seeds(DEFAULT_SEEDS[kind]))
    _print(kind, tally, capsys)
    assert tally["refused, located"] >= sum(tally.values()) // 5  # caught, not ignored


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_mutated_workbooks_long_run(db, rules, tmp_path, kind, capsys):
    tally = run_fuzz(KINDS[kind], db, rules, tmp_path, range(5000, 5400))
    _print(kind, tally, capsys)
    assert tally["refused, located"] >= sum(tally.values()) // 5
