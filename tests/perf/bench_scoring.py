"""Benchmark: score and sample a county-sized year (~2,200 evaluations × 12 indicators).

Run: PYTHONPATH=. python tests/perf/bench_scoring.py [--evaluations 2200]
Data is bulk-inserted (Core insert with executemany) into a fresh migrated database.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from app.domain.enums import Comparator, GoalStatus, Scope
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.evaluation import score_year
from app.services.spotcheck import draw_sample
from app.storage.database import Database, open_database
from app.storage.models import (
    Department,
    FiscalYear,
    Goal,
    Indicator,
    Project,
    Section,
    SelfEvaluation,
    SelfEvaluationIndicator,
)

SECTIONS, DEPARTMENTS, INDICATORS = 6, 72, 12
POINTS = Decimal("7.5")  # 12 × 7.5 = 90


def _indicator(i: int) -> tuple[str, Decimal | None, str]:
    """(comparator, target, unit) cycling positive, reverse and qualitative rows."""
    kind = i % 4
    if kind == 3:
        return Comparator.QUALITATIVE.value, None, ""
    if kind == 2:
        return Comparator.LE.value, Decimal(650), "元"
    return Comparator.GE.value, Decimal(1200 + i), "人"


def populate(db: Database, count: int) -> None:
    with db.transaction() as s:
        s.execute(insert(FiscalYear), [{"id": 1, "year": 2025}])
        s.execute(
            insert(Section),
            [{"id": n, "code": f"S{n}", "name": f"第{n}股", "sort_order": n}
             for n in range(1, SECTIONS + 1)],
        )  # fmt: skip
        s.execute(
            insert(Department),
            [{"id": d, "code": f"{200000 + d}", "name": f"单位{d}",
              "section_id": d % SECTIONS + 1, "is_active": True}
             for d in range(1, DEPARTMENTS + 1)],
        )  # fmt: skip
        projects, goals, evaluations, indicators, rows = [], [], [], [], []
        for p in range(1, count + 1):
            dept = p % DEPARTMENTS + 1
            amount = Decimal(10000 * (p % 500 + 1))
            projects.append(
                {
                    "id": p,
                    "year_id": 1,
                    "department_id": dept,
                    "code": f"P{p:06d}",
                    "name": f"项目{p}",
                    "kind": "延续",
                    "total_amount": amount,
                }
            )
            goals.append(
                {
                    "id": p,
                    "scope": Scope.PROJECT.value,
                    "year_id": 1,
                    "department_id": dept,
                    "project_id": p,
                    "status": GoalStatus.APPROVED.value,
                }
            )
            evaluations.append(
                {
                    "id": p,
                    "scope": Scope.PROJECT.value,
                    "year_id": 1,
                    "department_id": dept,
                    "project_id": p,
                    "initial_budget": amount,
                    "annual_budget": amount,
                    "spent": amount * Decimal("0.93"),
                    "claimed_total": Decimal(98),
                    "claimed_grade": "优",
                }
            )
            for i in range(INDICATORS):
                row_id = (p - 1) * INDICATORS + i + 1
                comparator, target, unit = _indicator(i)
                indicators.append(
                    {
                        "id": row_id,
                        "goal_id": p,
                        "position": i + 1,
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "name": f"指标{i + 1}",
                        "comparator": comparator,
                        "target_value": target,
                        "unit": unit,
                        "points": POINTS,
                    }
                )
                actual = None if target is None else target * Decimal("0.95") + (p % 7)
                rows.append(
                    {
                        "id": row_id,
                        "evaluation_id": p,
                        "indicator_id": row_id,
                        "position": i + 1,
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "name": f"指标{i + 1}",
                        "actual_value": actual,
                        "qualitative_band": "达成年度指标" if target is None else "",
                        "claimed_score": POINTS,
                    }
                )
        for model, data in (
            (Project, projects), (Goal, goals), (Indicator, indicators),
            (SelfEvaluation, evaluations), (SelfEvaluationIndicator, rows),
        ):  # fmt: skip
            s.execute(insert(model), data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=2200)
    args = parser.parse_args()
    rules = load_rule_set(default_rules_path())
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.sqlite3")
        try:
            started = time.perf_counter()
            populate(db, args.evaluations)
            print(f"插入 {args.evaluations} 份自评 × {INDICATORS} 个指标："
                  f"{time.perf_counter() - started:.2f} 秒")  # fmt: skip
            started = time.perf_counter()
            scores = score_year(db, 2025, rules)
            print(f"score_year：{len(scores)} 份，{time.perf_counter() - started:.2f} 秒")
            started = time.perf_counter()
            sample = draw_sample(db, 2025, rules, seed=1)
            print(f"draw_sample：抽取 {sample.drawn} 份，{time.perf_counter() - started:.2f} 秒")
        finally:
            db.close()


if __name__ == "__main__":
    main()
