"""Who else is connected to a server database (a restore must not pull it from under them)."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote

from sqlalchemy import Engine, text

APP_NAME = "预算绩效管理"
SEAT_PREFIX = "jixiao:"  # what database.application_name puts before the seat's name

_OTHERS = """
SELECT application_name, host(client_addr), usename FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND NOT pid = ANY(:ignoring) AND backend_type = 'client backend'
ORDER BY backend_start
"""


def other_seats(engine: Engine, ignoring: Collection[int] = ()) -> list[str]:
    """Each other connection as "预算绩效管理:张三（地址，数据库用户 x）", but for the server
    processes `ignoring` (this seat's own, e.g. a job lock's); empty on SQLite."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        rows = conn.execute(text(_OTHERS), {"ignoring": list(ignoring)}).all()
    return [f"{describe(app)}（{addr or '本机'}，数据库用户 {user}）" for app, addr, user in rows]


def describe(application_name: str | None) -> str:
    """Our seats by the name they work under; anything else as it calls itself."""
    if application_name and application_name.startswith(SEAT_PREFIX):
        return f"{APP_NAME}:{unquote(application_name.removeprefix(SEAT_PREFIX))}"
    return application_name or "未知程序"
