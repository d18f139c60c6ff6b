"""Consistent copies of a live SQLite database through the online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_database(source: Path, target: Path) -> Path:
    """Copy a (possibly live, WAL-mode) database into a new file, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


def timestamped_backup(source: Path, folder: Path, reason: str) -> Path:
    """A backup named after the database, the moment and why it was made."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_database(source, folder / f"{source.stem}-{stamp}-{reason}.sqlite3")
