"""What typing or pasting into one cell of the indicator grid does to the row (no Qt here).

The grid shows 指标性质, 指标值 and 计量单位 as three columns, but people type the value the
way forms print it (`≥95%`, `≤90万元`), so the 指标值 cell splits what it is given. Pasted
blocks from Excel or WPS are untidy (docs/domain.md §3): 一级 labels carrying their weight, merged
一级/二级 cells that arrive blank, blank rows for unused 二级 classes, a header row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.enums import Comparator
from app.domain.indicator_values import (
    canonical_level,
    normalize_level_label,
    normalize_name,
    parse_comparator,
    parse_indicator_value,
    parse_number,
    read_indicator_cells,
)
from app.domain.numbers import plain
from app.domain.rules import GoalRules
from app.services.goals import IndicatorRow

COLUMNS = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "分值", "指标解释")
(
    COL_LEVEL1,
    COL_LEVEL2,
    COL_NAME,
    COL_NATURE,
    COL_TARGET,
    COL_UNIT,
    COL_POINTS,
    COL_EXPLANATION,
) = range(len(COLUMNS))
COMPARATOR_CHOICES = tuple(c.value for c in Comparator)
_HEADER_WORDS = {"一级指标", "二级指标", "三级指标", "指标名称"}


def blank_row(level1: str = "", level2: str = "") -> IndicatorRow:
    return IndicatorRow(level1=level1, level2=level2, name="", comparator=None, target=None)


def cell_text(row: IndicatorRow, column: int) -> str:
    """The text a cell shows (and starts editing with)."""
    if column == COL_LEVEL1:
        return row.level1
    if column == COL_LEVEL2:
        return row.level2
    if column == COL_NAME:
        return row.name
    if column == COL_NATURE:
        return row.comparator.value if row.comparator else ""
    if column == COL_TARGET:
        return target_text(row)
    if column == COL_UNIT:
        return row.unit
    if column == COL_POINTS:
        return "" if row.points is None else plain(row.points)
    return row.explanation


def target_text(row: IndicatorRow) -> str:
    if row.comparator is not Comparator.QUALITATIVE and row.target is not None:
        return plain(row.target)
    return row.target_text


def set_cell(row: IndicatorRow, column: int, text: str, rules: GoalRules) -> IndicatorRow | None:
    """The row after typing `text` into a cell; None if the text cannot go there.

    Names and explanations keep their Chinese punctuation; only values are normalized.
    """
    text = text.strip()
    if column == COL_LEVEL1:
        return _set_level1(row, text, rules)
    if column == COL_LEVEL2:
        return _set_level2(row, text, rules)
    if column == COL_NAME:
        return replace(row, name=text)
    if column == COL_NATURE:
        return _set_nature(row, text)
    if column == COL_TARGET:
        return _set_target(row, text)
    if column == COL_UNIT:
        if row.comparator is Comparator.QUALITATIVE and text:
            return None
        return replace(row, unit=normalize_name(text))
    if column == COL_POINTS:
        return _set_points(row, text)
    return replace(row, explanation=text)


def level2_choices(level1: str, rules: GoalRules) -> tuple[str, ...]:
    """The 二级 classes offered for a row: those of its 一级, or all of them."""
    for l1 in rules.level1:
        if l1.name == level1:
            return l1.level2
    return tuple(l2 for l1 in rules.level1 for l2 in l1.level2)


def _set_level1(row: IndicatorRow, text: str, rules: GoalRules) -> IndicatorRow:
    names = [l1.name for l1 in rules.level1]
    level1 = canonical_level(text, names) or normalize_level_label(text)
    level2 = row.level2 if row.level2 in level2_choices(level1, rules) else ""
    return replace(row, level1=level1, level2=level2)


def _set_level2(row: IndicatorRow, text: str, rules: GoalRules) -> IndicatorRow:
    every = [l2 for l1 in rules.level1 for l2 in l1.level2]
    level2 = canonical_level(text, every) or normalize_level_label(text)
    owner = rules.level1_of(level2)
    # A 二级 picked first fills its 一级; one from another 一级 moves the row there.
    level1 = owner if owner is not None else row.level1
    return replace(row, level1=level1, level2=level2)


def _set_nature(row: IndicatorRow, text: str) -> IndicatorRow | None:
    if not text:
        return replace(row, comparator=None)
    comparator = parse_comparator(text)
    if comparator is None:
        return None
    if comparator is Comparator.QUALITATIVE and row.comparator is not Comparator.QUALITATIVE:
        # The number becomes the description, so nothing typed is lost.
        shown = target_text(row)
        return replace(row, comparator=comparator, target=None, unit="", target_text=shown)
    if comparator is not Comparator.QUALITATIVE and row.comparator is Comparator.QUALITATIVE:
        number = parse_number(row.target_text)
        if number is not None:
            return replace(row, comparator=comparator, target=number, target_text="")
    return replace(row, comparator=comparator)


def _set_target(row: IndicatorRow, text: str) -> IndicatorRow:
    if not text:
        return replace(row, target=None, target_text="")
    parsed = parse_indicator_value(text)
    comparator = parsed.comparator or row.comparator
    if parsed.number is None or comparator is Comparator.QUALITATIVE:
        # Words (按期完成, 有效提升) describe a qualitative target.
        qualitative = comparator is Comparator.QUALITATIVE or parsed.comparator is None
        return replace(
            row,
            comparator=Comparator.QUALITATIVE if qualitative else comparator,
            target=None,
            target_text=_words(text, parsed.text, parsed.comparator),
            unit="" if qualitative else row.unit,
        )
    unit = parsed.unit or row.unit
    return replace(row, comparator=comparator, target=parsed.number, target_text="", unit=unit)


def _words(raw: str, cleaned: str, comparator: Comparator | None) -> str:
    """The typed description; the parser's cleaned text would turn "，" into ","."""
    return raw if comparator is None else cleaned


def _set_points(row: IndicatorRow, text: str) -> IndicatorRow | None:
    if not text:
        return replace(row, points=None)
    points = parse_number(text.removesuffix("分"))
    if points is None or points < 0:
        return None
    return replace(row, points=points)


# --- pasting -----------------------------------------------------------------------------


def split_clipboard(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel/WPS copy them (quoted cells may hold line breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    return [list(cells) for cells in csv.reader(io.StringIO(text), delimiter="\t")]


@dataclass(frozen=True)
class PasteResult:
    rows: tuple[IndicatorRow, ...]
    first: int  # first grid row written
    count: int  # rows written (skipped header and blank rows are not counted)


def paste_block(
    rows: Sequence[IndicatorRow],
    top: int,
    left: int,
    block: Sequence[Sequence[str]],
    rules: GoalRules,
) -> PasteResult:
    """Write a pasted block into the grid from (top, left), adding rows as needed.

    Each pasted line fills the next grid row. A blank 一级 or 二级 cell repeats the one
    above (merged cells arrive that way); a line with nothing but 一级/二级 (an unused
    二级 class) and a header line are skipped.
    """
    result = list(rows)
    carry = {COL_LEVEL1: "", COL_LEVEL2: ""}
    at = top
    for line in block:
        cells = {left + j: v.strip() for j, v in enumerate(line) if left + j < len(COLUMNS)}
        if _is_header(cells):
            continue
        _fill_merged(cells, carry)
        if not any(v for c, v in cells.items() if c not in (COL_LEVEL1, COL_LEVEL2)):
            continue
        while at >= len(result):
            result.append(blank_row())
        result[at] = _paste_row(result[at], cells, rules)
        at += 1
    return PasteResult(tuple(result), top, at - top)


def _is_header(cells: dict[int, str]) -> bool:
    return any(normalize_name(cells.get(c, "")) in _HEADER_WORDS for c in (COL_LEVEL1, COL_NAME))


def _fill_merged(cells: dict[int, str], carry: dict[int, str]) -> None:
    if COL_LEVEL1 in cells:
        if cells[COL_LEVEL1]:
            if cells[COL_LEVEL1] != carry[COL_LEVEL1]:
                carry[COL_LEVEL2] = ""  # a new 一级 starts its own 二级 run
            carry[COL_LEVEL1] = cells[COL_LEVEL1]
        else:
            cells[COL_LEVEL1] = carry[COL_LEVEL1]
    if COL_LEVEL2 in cells:
        if cells[COL_LEVEL2]:
            carry[COL_LEVEL2] = cells[COL_LEVEL2]
        else:
            cells[COL_LEVEL2] = carry[COL_LEVEL2]


def _paste_row(row: IndicatorRow, cells: dict[int, str], rules: GoalRules) -> IndicatorRow:
    for column in (COL_LEVEL1, COL_LEVEL2, COL_NAME, COL_EXPLANATION):
        if column in cells:
            row = set_cell(row, column, cells[column], rules) or row
    if COL_TARGET in cells:
        row = _paste_value(row, cells)
    else:
        for column in (COL_NATURE, COL_UNIT):
            if column in cells:
                row = set_cell(row, column, cells[column], rules) or row
    if COL_POINTS in cells:
        row = set_cell(row, COL_POINTS, cells[COL_POINTS], rules) or row
    return row


def _paste_value(row: IndicatorRow, cells: dict[int, str]) -> IndicatorRow:
    """指标性质, 指标值 and 计量单位 read together, as the workbook import reads them."""
    nature = cells.get(COL_NATURE, "")
    unit = cells.get(COL_UNIT, "")
    value, _problems = read_indicator_cells(cells[COL_TARGET], nature, unit)
    # Conflicts are left to the live checks; the cells keep what could be read.
    if not cells[COL_TARGET]:
        comparator = value.comparator if COL_NATURE in cells else row.comparator
        return replace(row, comparator=comparator, target=None, target_text="", unit=value.unit)
    if value.comparator is Comparator.QUALITATIVE or value.number is None:
        comparator = value.comparator or Comparator.QUALITATIVE
        unit = "" if comparator is Comparator.QUALITATIVE else value.unit
        raw = cells[COL_TARGET]
        text = _words(raw, value.text, parse_indicator_value(raw).comparator)
        return replace(row, comparator=comparator, target=None, target_text=text, unit=unit)
    unit = value.unit if (value.unit or COL_UNIT in cells) else row.unit
    comparator = value.comparator or row.comparator
    return replace(row, comparator=comparator, target=value.number, target_text="", unit=unit)


def copy_text(rows: Sequence[IndicatorRow], columns: Sequence[int]) -> str:
    """Rows as tab-separated text, the shape Excel and WPS paste."""
    lines = []
    for row in rows:
        cells = [cell_text(row, c).replace("\t", " ") for c in columns]
        lines.append("\t".join(_quote(c) for c in cells))
    return "\n".join(lines) + "\n"


def _quote(cell: str) -> str:
    if "\n" in cell or '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def total_points(rows: Sequence[IndicatorRow]) -> Decimal:
    return sum((r.points for r in rows if r.points is not None), Decimal(0))
