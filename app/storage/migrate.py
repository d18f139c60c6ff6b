"""Alembic, driven from code: the schema is built and upgraded only by migrations.

Opening a database must not pay for importing Alembic (≈0.2-1 s) when nothing is to be
done: the code's head and the known revisions are read from the revision files' own
`revision = "…"` / `down_revision = …` lines, the stored revision with one SELECT. Alembic is
imported only to upgrade.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from app.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(.+)$", re.M)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def _graph() -> dict[str, tuple[str, ...]]:
    return _read_graph(migrations_dir())


@cache
def _read_graph(folder: Path) -> dict[str, tuple[str, ...]]:
    """Each revision of the code → the revisions it follows."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((folder / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            continue
        graph[revision.group(1)] = tuple(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return graph


def head_revision() -> str:
    graph = _graph()
    followed = {parent for parents in graph.values() for parent in parents}
    heads = sorted(set(graph) - followed)
    return heads[0] if len(heads) == 1 else ""


def known_revisions() -> set[str]:
    return set(_graph())


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
