"""Plain in-memory plans of what the demo writes, and the row collector with precomputed ids."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from app.services.demo.vocab import DepartmentSpec
from app.storage.ids import IdSource
from app.storage.models import Base


@dataclass(slots=True)
class IndicatorPlan:
    id: int
    position: int
    level1: str
    level2: str
    name: str
    comparator: str
    target: Decimal | None
    target_text: str
    unit: str
    points: int
    explanation: str
    library_id: int | None
    # Year-end outcome, decided once so monitoring and self-evaluation agree.
    actual: Decimal | None = None
    band: str = ""  # QualitativeBand for 定性 indicators
    ratio: float = 1.0  # share of the target achieved (1 = met)


@dataclass(slots=True)
class ProjectPlan:
    id: int
    year: int
    year_id: int
    department: DepartmentSpec
    department_id: int
    code: str
    name: str
    kind: str
    start_year: int
    end_year: int
    total: int  # 元, a multiple of 100
    other: int  # 元 of 其他资金
    fund_source: str
    fund_level: str
    functional_class: str
    previous_total: int | None = None  # last year's amount of a continuing project

    @property
    def fiscal(self) -> int:
        return self.total - self.other


@dataclass(slots=True)
class GoalPlan:
    id: int
    year: int
    year_id: int
    department_id: int
    department: DepartmentSpec
    project: ProjectPlan | None
    budget: int  # 元: the project's total, or the department's whole budget
    status: str = ""
    return_reason: str = ""
    overall_target: str = ""
    indicators: list[IndicatorPlan] = field(default_factory=list)
    tier: str = "优"  # the performance the year-end outcome is drawn for
    final_spent: int = 0  # 元, set by monitoring
    final_budget: int = 0  # 元 (A), set by monitoring


class Rows:
    """Rows per model in insertion order, with integer ids handed out before inserting."""

    def __init__(self, ids: IdSource) -> None:
        self._ids = ids
        self.tables: dict[type[Base], list[dict[str, Any]]] = {}

    def new_id(self, model: type[Base]) -> int:
        return self._ids.take(model)

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        self.tables.setdefault(model, []).append(row)

    def count(self, model: type[Base]) -> int:
        return len(self.tables.get(model, []))

    def insert_all(self, session: Session, order: list[type[Base]], on_table: Any) -> None:
        for done, model in enumerate(order):
            rows = self.tables.get(model, [])
            on_table(done, model.__tablename__)
            # Core insert of the table: one executemany per chunk, no ORM bookkeeping.
            for start in range(0, len(rows), 20000):
                session.execute(insert(cast(Table, model.__table__)), rows[start : start + 20000])


def moment(
    rng: random.Random, year: int, month: int, day_lo: int = 1, day_hi: int = 28
) -> datetime:
    """A reproducible office-hours moment inside the given month."""
    day = rng.randint(day_lo, day_hi)
    return datetime(year, month, day, 9) + timedelta(minutes=rng.randrange(0, 8 * 60))


def yuan(value: int) -> Decimal:
    return Decimal(value)
