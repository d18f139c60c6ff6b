"""Shared fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest

from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path
from app.storage.database import Database, open_database


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rule_set(default_rules_path())


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, empty database built by running the migrations."""
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def nobody_working_yet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts with no operator chosen and its own remembered preferences."""
    from app.services.setup import operator
    from app.ui import preferences

    monkeypatch.setattr(operator, "_chosen", "")
    monkeypatch.setattr(preferences, "preferences_path", lambda: tmp_path / "preferences.ini")
