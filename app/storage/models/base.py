"""Declarative base with a naming convention so migrations name constraints predictably."""

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, MetaData, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class Versioned:
    """A record a user edits in a form: every write bumps `version` (storage/versions.py) and
    a save carrying the version it loaded is refused once another seat moved it on."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def one_department_scope_row_per_year(name: str) -> Index:
    """At most one department-wide row per department and year (project rows are keyed by
    project_id instead), as a partial unique index both SQLite and PostgreSQL accept."""
    scope_is_department = text("scope = 'department'")
    return Index(
        name,
        "year_id",
        "department_id",
        unique=True,
        sqlite_where=scope_is_department,
        postgresql_where=scope_is_department,
    )
