"""Audit trail and settings."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models.base import Base


class AuditEntry(Base):
    """Who changed what, when: before → after, as JSON text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(60))
    display_name: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(200), default="")
    before_json: Mapped[str] = mapped_column(Text, default="")
    after_json: Mapped[str] = mapped_column(Text, default="")


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class YearRules(Base):
    """The rule set a fiscal year is managed and scored under, as its TOML text.

    Kept per year so that a year keeps its rules: changing next year's never re-scores it.
    """

    __tablename__ = "year_rules"

    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), primary_key=True)
    rules_toml: Mapped[str] = mapped_column(Text)


class YearWording(Base):
    """A year's narrative templates of the annual report (TOML text with {placeholders}).

    A year without a row prints the shipped wording; last year's text is only offered.
    """

    __tablename__ = "year_wording"

    year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), primary_key=True)
    annual_report_toml: Mapped[str] = mapped_column(Text)


class JobLock(Base):
    """Who runs a whole-year job now (storage/joblock.py), so a second seat is told by name."""

    __tablename__ = "job_locks"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: not tied to a year
    operator: Mapped[str] = mapped_column(String(60), default="")
    host: Mapped[str] = mapped_column(String(100), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime] = mapped_column(DateTime)


class ChangeFeedEntry(Base):
    """One announcing commit, so that the other seats on a shared database hear of it
    (written by storage/changes.py in the same transaction, polled by every seat)."""

    __tablename__ = "change_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    seat: Mapped[str] = mapped_column(String(32))  # the Database object that committed
    kinds: Mapped[str] = mapped_column(Text)  # comma-separated kinds of storage/kinds.py
    at: Mapped[datetime] = mapped_column(DateTime, index=True)  # pruned after a day
