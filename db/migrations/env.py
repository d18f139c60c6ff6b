"""Alembic environment: runs on the connection the app hands over (see app/storage/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.types import TypeDecorator

from app.storage.models import Base

target_metadata = Base.metadata
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Command-line use (alembic -x url=sqlite:///file.sqlite3 ...), for developers.
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev.sqlite3")
    with create_engine(url).begin() as conn:
        _run(conn)


def render_item(kind: str, obj: object, _autogen_context: object) -> str | bool:
    # Migrations spell out the stored type so they never change when app code does.
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url="sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
