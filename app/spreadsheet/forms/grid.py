"""Any source table as a grid of printed texts, merged cells expanded, every cell located.

A department's form arrives as an .xlsx sheet, a legacy .xls sheet or a table in a Word
document. Recognising the form works on one shape for all three: rows of `GridCell`s where
a merged area repeats its text in every cell it covers and keeps the top-left cell as its
`origin` (so "the value right of a label" skips the rest of the label's own merge).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

_STRIP = " \t\r\n\u3000\xa0\u200b\ufeff"


@dataclass(frozen=True)
class Where:
    """Where one printed cell sits: file, sheet or table, 1-based row and column."""

    file: str
    part: str  # 工作表“Sheet1” / 第2个表格
    row: int
    column: int
    lettered: bool = True  # spreadsheet columns read A, B…; Word table columns 第3列

    @property
    def column_name(self) -> str:
        if not self.lettered:
            return f"第{self.column}列"
        n, letters = self.column, ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return f"{letters}列"

    def describe(self) -> str:
        return f"“{self.file}”{self.part}第{self.row}行{self.column_name}"


@dataclass(frozen=True)
class GridCell:
    text: str  # as printed, ends trimmed
    where: Where
    origin: tuple[int, int]  # (row, column) of the merged area's top-left cell


@dataclass(frozen=True)
class Grid:
    file: str
    part: str
    source: str  # xlsx / xls / docx
    rows: tuple[tuple[GridCell, ...], ...]

    def spans(self, row: int) -> list[GridCell]:
        """The distinct cells of a 0-based row, left to right (a merge counted once)."""
        seen: set[tuple[int, int]] = set()
        found = []
        for cell in self.rows[row]:
            if cell.origin not in seen:
                seen.add(cell.origin)
                found.append(cell)
        return found


def printed(value: object, percent: bool = False) -> str:
    """A stored cell value as it reads on paper (95% stays 95%, 3.0 reads 3)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if percent:
            number *= 100
        text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip(_STRIP)


def build_grid(
    file: str | Path,
    part: str,
    source: str,
    texts: list[list[str]],
    origin: dict[tuple[int, int], tuple[int, int]],
) -> Grid:
    """From a rectangle of texts (0-based) and, for merged cells, their top-left cell."""
    name = Path(file).name
    width = max((len(r) for r in texts), default=0)
    rows = []
    for r in range(len(texts)):
        cells = []
        for c in range(width):
            top = origin.get((r, c), (r, c))
            source_row = texts[top[0]] if top[0] < len(texts) else []
            text = source_row[top[1]] if top[1] < len(source_row) else ""
            where = Where(name, part, r + 1, c + 1, lettered=source != "docx")
            cells.append(GridCell(text, where, (top[0] + 1, top[1] + 1)))
        rows.append(tuple(cells))
    return Grid(name, part, source, tuple(rows))


def merge_origins(
    merges: list[tuple[int, int, int, int]],
) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left cell of every cell inside merged areas (r0, c0, r1, c1 inclusive, 0-based)."""
    origin = {}
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                origin[r, c] = (r0, c0)
    return origin
