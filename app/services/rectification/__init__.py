"""整改台账: findings sent back to units, their replies and status."""

from app.services.rectification.records import (
    GenerateResult,
    ItemEdit,
    Ledger,
    LedgerRow,
    generate_items,
    ledger,
    load_item,
    update_item,
)

__all__ = [
    "GenerateResult",
    "ItemEdit",
    "Ledger",
    "LedgerRow",
    "generate_items",
    "ledger",
    "load_item",
    "update_item",
]
