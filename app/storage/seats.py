"""Who else is connected to a server database (a restore must not pull it from under them)."""

from __future__ import annotations

from sqlalchemy import Engine, text

_OTHERS = """
SELECT application_name, host(client_addr), usename FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND backend_type = 'client backend'
ORDER BY backend_start
"""


def other_seats(engine: Engine) -> list[str]:
    """Each other connection as "程序名（地址，用户 x）"; empty on SQLite."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        rows = conn.execute(text(_OTHERS)).all()
    return [
        f"{app or '未知程序'}（{addr or '本机'}，数据库用户 {user}）" for app, addr, user in rows
    ]
