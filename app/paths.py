"""Where things live: bundled resources, migrations and the user's data folder.

Works from a source tree, an installed wheel (files under app/_bundled) and a PyInstaller
bundle (sys._MEIPASS).
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from app import APP_ID

_PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def _roots() -> list[Path]:
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle))
    roots += [_PACKAGE_DIR.parent, _PACKAGE_DIR / "_bundled"]
    return roots


def resources_dir() -> Path:
    return _first_existing(*(root / "resources" for root in _roots()))


def migrations_dir() -> Path:
    candidates = []
    for root in _roots():
        candidates += [root / "db" / "migrations", root / "migrations"]
    return _first_existing(*candidates)


def default_rules_path() -> Path:
    return resources_dir() / "rules" / "default.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "jixiao.sqlite3"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def cache_dir() -> Path:
    """Files the app can rebuild at any time (prepared font data)."""
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))
