"""Benchmark: monitoring a county of ~2,200 approved projects with 12 indicators each.

Run: /tmp/venv/bin/python tests/perf/bench_monitoring.py [projects]
Prints seconds for: opening the first round, opening a carried-forward round, the round's
rows with every lamp, the dashboard over both rounds, one entry edit and a refused close.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert, select, update

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.errors import ValidationFailed
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.monitoring import (
    EntryEdit,
    close_round,
    dashboard,
    lagging,
    open_round,
    round_rows,
    update_entry,
)
from app.storage.database import Database, open_database
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    Indicator,
    MonitoringEntry,
    MonitoringIndicator,
    Project,
    Section,
)

YEAR = 2025
# (level1, level2, comparator, target, unit), cycled to 12 indicators per goal.
KINDS = (
    ("产出指标", "数量指标", Comparator.GE, "1200", "人"),
    ("产出指标", "质量指标", Comparator.EQ, "100", "%"),
    ("产出指标", "时效指标", Comparator.GE, "95", "%"),
    ("产出指标", "成本指标", Comparator.LE, "650", "元"),
    ("效益指标", "社会效益指标", Comparator.GE, "98", "%"),
    ("效益指标", "可持续影响指标", Comparator.QUALITATIVE, None, ""),
    ("满意度指标", "服务对象满意度指标", Comparator.GE, "90", "%"),
)


def timed(label: str, action: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = action()
    print(f"{label:<40}{time.perf_counter() - start:8.2f} s")
    return result


def build_county(db: Database, projects: int) -> None:
    """Bulk-insert sections, 100 departments, approved goals and 12 indicators each."""
    with db.transaction() as s:
        fy = FiscalYear(year=YEAR)
        s.add(fy)
        s.execute(
            insert(Section),
            [{"code": f"S{i}", "name": f"第{i}股", "sort_order": i} for i in range(8)],
        )
        sections = list(s.scalars(select(Section.id)))
        s.execute(
            insert(Department),
            [
                {"code": f"{300000 + i}", "name": f"县第{i}局", "section_id": sections[i % 8]}
                for i in range(100)
            ],
        )
        s.flush()
        departments = list(s.scalars(select(Department.id)))
        s.execute(insert(Project), [_project(fy.id, departments, n) for n in range(projects)])
        ids = list(s.execute(select(Project.id, Project.department_id)))
        s.execute(insert(Goal), [_goal(fy.id, pid, did) for pid, did in ids])
        goals = list(s.scalars(select(Goal.id)))
        s.execute(insert(Indicator), [_indicator(g, k) for g in goals for k in range(12)])


def _project(year_id: int, departments: list[int], n: int) -> dict[str, Any]:
    amount = Decimal(10000 * (1 + n % 50))
    return {
        "year_id": year_id,
        "department_id": departments[n % len(departments)],
        "code": f"{n:021d}",
        "name": f"第{n}号项目",
        "kind": "延续",
        "total_amount": amount,
        "fiscal_amount": amount,
        "other_amount": Decimal(0),
    }


def _goal(year_id: int, project_id: int, department_id: int) -> dict[str, Any]:
    return {
        "scope": Scope.PROJECT.value,
        "year_id": year_id,
        "department_id": department_id,
        "project_id": project_id,
        "status": GoalStatus.APPROVED.value,
    }


def _indicator(goal_id: int, k: int) -> dict[str, Any]:
    level1, level2, comparator, target, unit = KINDS[k % len(KINDS)]
    return {
        "goal_id": goal_id,
        "position": k + 1,
        "level1": level1,
        "level2": level2,
        "name": f"{level2}{k + 1}",
        "comparator": comparator.value,
        "target_value": None if target is None else Decimal(target),
        "target_text": "达到预期" if target is None else "",
        "unit": unit,
        "points": Decimal(5),
    }


def report_figures(db: Database, seed: int = 1) -> None:
    """What the departments would send: random spending and indicator progress."""
    rng = random.Random(seed)
    with db.transaction() as s:
        entries = s.execute(select(MonitoringEntry.id, MonitoringEntry.adjusted_budget)).all()
        s.execute(
            update(MonitoringEntry),
            [{"id": e.id, "spent": e.adjusted_budget * rng.randint(0, 60) / 100} for e in entries],
        )
        rows = s.execute(select(MonitoringIndicator.id)).all()
        s.execute(
            update(MonitoringIndicator),
            [{"id": r.id, "current_value": Decimal(rng.randint(0, 900))} for r in rows],
        )


def main() -> None:
    projects = int(sys.argv[1]) if len(sys.argv) > 1 else 2200
    rules = load_rule_set(default_rules_path())
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        try:
            timed(f"build {projects} projects × 12 indicators", lambda: build_county(db, projects))
            timed("open_round (March, first)", lambda: open_round(db, YEAR, 3, rules))
            report_figures(db)
            timed("open_round (June, carried forward)", lambda: open_round(db, YEAR, 6, rules))
            rows = timed("round_rows (June)", lambda: round_rows(db, YEAR, 6, rules))
            behind = timed("lagging", lambda: lagging(rows))
            board = timed("dashboard (2 rounds)", lambda: dashboard(db, YEAR, rules))
            first, edit = rows[0], EntryEdit(rows[0].adjusted_budget, rows[0].spent)
            timed("update_entry (one)", lambda: update_entry(db, first.entry_id, edit, rules))
            timed("close_round (refused)", lambda: _try_close(db, rules))
            print(
                f"{len(rows)} rows, {sum(len(r.indicators) for r in rows)} indicator lamps, "
                f"{len(behind)} lagging; June lamps {board.trend[-1].lamps}"
            )
        finally:
            db.close()


def _try_close(db: Database, rules: Any) -> None:
    try:
        close_round(db, YEAR, 6, rules)
    except ValidationFailed as exc:
        print(f"  close refused with {len(exc.problems)} missing reasons")


if __name__ == "__main__":
    main()
