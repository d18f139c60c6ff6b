"""公开 (disclosure): the per-unit pack of goal and self-evaluation tables, and its records."""

from app.services.disclosure.pack import DisclosurePack, UnitPack, build_disclosure_pack
from app.services.disclosure.records import DisclosureRow, disclosure_records

__all__ = [
    "DisclosurePack",
    "DisclosureRow",
    "UnitPack",
    "build_disclosure_pack",
    "disclosure_records",
]
