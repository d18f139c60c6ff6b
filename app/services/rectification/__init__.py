"""整改台账: findings sent back to units, their replies and status."""

from app.services.rectification.records import (
    GenerateResult,
    ItemEdit,
    Ledger,
    LedgerCounts,
    LedgerRow,
    generate_items,
    ledger,
    ledger_counts,
    load_item,
    update_item,
)

__all__ = [
    "GenerateResult",
    "ItemEdit",
    "Ledger",
    "LedgerCounts",
    "LedgerRow",
    "generate_items",
    "ledger",
    "ledger_counts",
    "load_item",
    "update_item",
]
