"""Sheets declared once, column by column.

The writer builds templates from these specs and the reader checks imports against them, so
what the app writes it can read back. A spec says nothing about storage: services map the
typed row dicts onto the domain.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Characters that look like nothing but break "exact" matching of headers and codes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class Kind(StrEnum):
    """What a column holds; decides parsing, validation and cell format."""

    TEXT = "text"
    DECIMAL = "decimal"  # Decimal as written (percentage points when Column.percent)
    MONEY_WAN = "money_wan"  # written in 万元 on the sheet, Decimal 元 in code
    INTEGER = "integer"
    YEAR = "year"
    CODE = "code"  # business codes: digits kept as text, leading zeros kept
    CHOICE = "choice"  # one of Column.choices


KIND_LABELS = {
    Kind.TEXT: "文字",
    Kind.DECIMAL: "数字",
    Kind.MONEY_WAN: "金额（万元）",
    Kind.INTEGER: "整数",
    Kind.YEAR: "四位年份",
    Kind.CODE: "编码（按文本填写）",
    Kind.CHOICE: "从下拉列表选择",
}

Parser = Callable[[Any], Any]
"""A custom cell parser: takes the trimmed cell value, returns the typed value or raises
ValueError with a Chinese message (it becomes a located problem)."""


def normalise_label(text: object) -> str:
    """Headers, sheet names and choices compare after this: full-width → half-width
    (NFKC), every space removed (Alt+Enter line breaks too) and a '*' required-marker
    dropped, so '资金总额（万元）*' matches '资金总额(万元)'."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return "".join(folded.split()).strip("*")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False  # the header must exist and no cell may be blank
    width: float = 14
    choices: tuple[str, ...] = ()
    locked: bool = False  # filled by the app; departments must not type here
    help: str = ""  # shown as the header comment and on the 填表说明 sheet
    parser: Parser | None = None  # replaces the kind's parsing when set
    aliases: tuple[str, ...] = ()  # other headers accepted on import
    percent: bool = False  # DECIMAL in percentage points: '95%', 95 and 0.95 formatted % → 95
    places: int | None = None  # round half up to this many decimals on import
    fill_merged: bool = False  # a vertically merged cell gives its value to every row
    # The header must exist although cells may be blank: a column whose absence would read
    # as "every cell blank" and so wipe or zero stored data (实际完成值, 分值...).
    header_required: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "aliases", tuple(self.aliases))
        if self.kind is Kind.CHOICE and not self.choices:
            raise ValueError(f"choice column {self.key!r} needs choices")
        if self.percent and self.kind is not Kind.DECIMAL:
            raise ValueError(f"percent column {self.key!r} must be of kind decimal")

    @property
    def must_exist(self) -> bool:
        """A file without this column is refused (one problem, nothing read as blank)."""
        return self.required or self.header_required

    @property
    def match_labels(self) -> tuple[str, ...]:
        return tuple(normalise_label(h) for h in (self.header, *self.aliases))


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its name, columns in order, and where the header sits."""

    name: str
    columns: Sequence[Column]
    header_row: int = 1  # where the writer puts the header; the reader searches near it
    required: bool = True  # a missing sheet is a problem
    unique: Sequence[Sequence[str]] = ()  # keys whose values may not repeat across rows
    description: str = ""  # a sentence for the 填表说明 sheet
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "columns", tuple(self.columns))
        set_(self, "unique", tuple(tuple(keys) for keys in self.unique))
        set_(self, "by_key", {c.key: c for c in self.columns})
        self._check()

    def _check(self) -> None:
        if len(self.by_key) != len(self.columns):
            raise ValueError(f"sheet {self.name!r}: duplicate column keys")
        labels = [label for c in self.columns for label in c.match_labels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"sheet {self.name!r}: duplicate headers or aliases")
        for keys in self.unique:
            missing = [k for k in keys if k not in self.by_key]
            if missing:
                raise ValueError(f"sheet {self.name!r}: unique keys {missing} not declared")
        if self.header_row < 1:
            raise ValueError("header_row starts at 1")

    def column(self, key: str) -> Column:
        return self.by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)
