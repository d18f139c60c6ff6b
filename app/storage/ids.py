"""Primary keys handed out before a bulk insert (the demo build, the goals workbook import).

On PostgreSQL they come from each table's own sequence, in blocks (`nextval` over a
series), so a later ordinary insert, or another seat's, never collides with them. A SQLite
file has one writer at a time (the writer lock), so its next free id is max(id) + 1.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

_FIRST_BLOCK, _LARGEST_BLOCK = 64, 8192  # ids per round trip


class IdSource:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._server = session.get_bind().dialect.name == "postgresql"
        self._free: dict[type[Any], list[int]] = {}
        self._next: dict[type[Any], int] = {}
        self._block: dict[type[Any], int] = {}

    def take(self, model: type[Any]) -> int:
        if not self._server:
            if model not in self._next:
                self._next[model] = (self._session.scalar(select(func.max(model.id))) or 0) + 1
            value = self._next[model]
            self._next[model] = value + 1
            return value
        free = self._free.setdefault(model, [])
        if not free:
            # Blocks grow as the import does: few wasted numbers, few round trips.
            size = min(_LARGEST_BLOCK, 2 * self._block.get(model, _FIRST_BLOCK // 2))
            self._block[model] = size
            free.extend(reversed(self._reserve(model.__tablename__, size)))
        return free.pop()

    def _reserve(self, table: str, count: int) -> list[int]:
        rows = self._session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": count},
        )
        return sorted(value for (value,) in rows)
