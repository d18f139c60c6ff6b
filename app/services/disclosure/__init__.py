"""公开 (disclosure): the per-unit pack of goal and self-evaluation tables, and its records.

The names below load on first use (PEP 562): the annual report reads the records only, and
the pack pulls in the goal and self-evaluation tables' builders.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.services.disclosure.pack import DisclosurePack, UnitPack, build_disclosure_pack
    from app.services.disclosure.records import DisclosureRow, disclosure_records

_HOMES = {
    "DisclosurePack": "app.services.disclosure.pack",
    "UnitPack": "app.services.disclosure.pack",
    "build_disclosure_pack": "app.services.disclosure.pack",
    "DisclosureRow": "app.services.disclosure.records",
    "disclosure_records": "app.services.disclosure.records",
}

__all__ = [
    "DisclosurePack",
    "DisclosureRow",
    "UnitPack",
    "build_disclosure_pack",
    "disclosure_records",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
