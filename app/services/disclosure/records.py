"""What was published and when: the 公开 records of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.services.common import live
from app.storage.database import Database
from app.storage.models import Department, DisclosureRecord


@dataclass(frozen=True)
class DisclosureRow:
    department_code: str
    department: str
    published_at: datetime
    actor: str
    file_name: str
    goal_tables: int
    evaluation_tables: int


def disclosure_records(db: Database, year: int) -> list[DisclosureRow]:
    """Newest first, then by unit code."""
    stmt = (
        select(DisclosureRecord, Department)
        .join(Department, DisclosureRecord.department_id == Department.id)
        .where(live.in_year(DisclosureRecord, year))
        .order_by(DisclosureRecord.published_at.desc(), Department.code)
    )
    with db.session() as s:
        return [
            DisclosureRow(d.code, d.name, r.published_at, r.actor, r.file_name, r.goal_tables,
                          r.evaluation_tables)
            for r, d in s.execute(stmt)
        ]  # fmt: skip
