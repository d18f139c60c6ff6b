"""Printing helpers shared by the commands: JSON with decimals and paths as strings."""

from __future__ import annotations

import dataclasses
import json
import sys
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(data: Any) -> None:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = dataclasses.asdict(data)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")
