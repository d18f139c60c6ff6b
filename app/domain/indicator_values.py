"""Reading indicator values and labels as people type them in real files.

Goal workbooks come from dozens of departments and are untidy (docs/domain.md §3): comparators
written `>=`, `≧`, `＞`, `═`, `﹦`; the unit inside the value (`>=1200人`, `650元/人*月`);
full-width digits; thousands separators; 一级 labels carrying their weight
(`产出指标(50分)`); stray spaces inside names. Everything here is a pure function of text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from app.domain.enums import Comparator
from app.domain.errors import Problem
from app.domain.numbers import plain

# Full-width digits and the few full-width signs that occur in numbers. A targeted table
# rather than NFKC, because NFKC would also rewrite units (㎡ → m2).
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，％＋－　",
    "0123456789.,%+- ",
)

# Longest spellings first so `>=` is not read as `>` followed by `=`.
_COMPARATOR_SPELLINGS: tuple[tuple[str, Comparator], ...] = (
    (">=", Comparator.GE),
    ("=>", Comparator.GE),
    ("<=", Comparator.LE),
    ("=<", Comparator.LE),
    ("==", Comparator.EQ),
    ("≥", Comparator.GE),
    ("≧", Comparator.GE),
    ("⩾", Comparator.GE),
    ("≤", Comparator.LE),
    ("≦", Comparator.LE),
    ("⩽", Comparator.LE),
    (">", Comparator.GT),
    ("＞", Comparator.GT),
    ("<", Comparator.LT),
    ("＜", Comparator.LT),
    ("=", Comparator.EQ),
    ("＝", Comparator.EQ),
    ("═", Comparator.EQ),
    ("﹦", Comparator.EQ),
    ("定性", Comparator.QUALITATIVE),
    # Words used instead of symbols; only taken when a number follows (see _leading_comparator).
    ("大于等于", Comparator.GE),
    ("不低于", Comparator.GE),
    ("不少于", Comparator.GE),
    ("小于等于", Comparator.LE),
    ("不高于", Comparator.LE),
    ("不超过", Comparator.LE),
    ("不多于", Comparator.LE),
)
_WORD_COMPARATORS = {"大于等于", "不低于", "不少于", "小于等于", "不高于", "不超过", "不多于"}

# 指标性质 column: a comparator, or only a direction (正向/反向) that several forms use.
_POSITIVE = (Comparator.GE, Comparator.GT, Comparator.EQ)
_REVERSE = (Comparator.LE, Comparator.LT)
_DIRECTIONS: dict[str, tuple[Comparator, ...]] = {
    "正向": _POSITIVE,
    "正向指标": _POSITIVE,
    "反向": _REVERSE,
    "反向指标": _REVERSE,
    "定性指标": (Comparator.QUALITATIVE,),
    "定量": _POSITIVE + _REVERSE,
    "定量指标": _POSITIVE + _REVERSE,
}
# These say only "quantitative": the comparator must still come from the value.
_UNDIRECTED = {"定量", "定量指标"}

_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(.*)$")
_WEIGHT_SUFFIX = re.compile(r"[（(【\[]?(\d+(?:\.\d+)?)分?[)）】\]]?$")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")

_SYMBOLS = {
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.EQ: "=",
    Comparator.LE: "≤",
    Comparator.LT: "<",
}


@dataclass(frozen=True)
class IndicatorValue:
    """A target value split into its parts.

    `comparator` is what was written (None if nothing was); `number` is None when no clean
    number could be read; `text` keeps the cleaned original for qualitative values.
    """

    comparator: Comparator | None
    number: Decimal | None
    unit: str
    text: str

    @property
    def is_text_only(self) -> bool:
        return self.number is None and self.comparator in (None, Comparator.QUALITATIVE)


def clean_text(raw: object) -> str:
    """Cell content as text: full-width digits and signs made half-width, ends trimmed."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    return text.translate(_FULL_WIDTH).strip()


def normalize_name(raw: object) -> str:
    """A name with every space removed: `经济效益 指标` → `经济效益指标`."""
    if isinstance(raw, str):
        # An import compares the same labels and names hundreds of thousands of times.
        return _normalized_text(raw)
    return _SPACES.sub("", clean_text(raw))


@lru_cache(maxsize=65536)
def _normalized_text(raw: str) -> str:
    return _SPACES.sub("", clean_text(raw))


def split_level_label(raw: object) -> tuple[str, Decimal | None]:
    """`产出指标（50分）` → (`产出指标`, 50). A label without a weight gives (label, None)."""
    if isinstance(raw, str):
        return _split_label_text(raw)  # a workbook has a few dozen labels, on every row
    return _split_label(raw)


@lru_cache(maxsize=4096)
def _split_label_text(raw: str) -> tuple[str, Decimal | None]:
    return _split_label(raw)


def _split_label(raw: object) -> tuple[str, Decimal | None]:
    name = normalize_name(raw)
    match = _WEIGHT_SUFFIX.search(name)
    # A bare trailing number is a weight only when written with 分 or brackets.
    if match and match.start() > 0 and match.group(0) != match.group(1):
        return name[: match.start()], Decimal(match.group(1))
    return name, None


def normalize_level_label(raw: object) -> str:
    """An 一级/二级 label without spaces or weight."""
    return split_level_label(raw)[0]


def canonical_level(raw: object, known: Sequence[str]) -> str | None:
    """The rule-set name a label means, accepting a missing `指标` suffix (`数量` → `数量指标`)."""
    label = normalize_level_label(raw)
    for name in known:
        if label in (name, name.removesuffix("指标")):
            return name
    return None


def parse_number(raw: object) -> Decimal | None:
    """A plain number (thousands separators and full-width digits allowed), else None."""
    text = clean_text(raw).replace(" ", "")
    match = _NUMBER.match(text)
    if not match or match.group(2):
        return None
    return _to_decimal(match.group(1))


def _to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def parse_comparator(raw: object) -> Comparator | None:
    """A comparator written alone (指标性质 column), e.g. `>=`, `≧`, `定性`; else None."""
    text = normalize_name(raw)
    for spelling, comparator in _COMPARATOR_SPELLINGS:
        if text == spelling:
            return comparator
    return None


def _leading_comparator(text: str) -> tuple[Comparator | None, str]:
    for spelling, comparator in _COMPARATOR_SPELLINGS:
        if text.startswith(spelling):
            rest = text[len(spelling) :].lstrip()
            if spelling in _WORD_COMPARATORS and not _NUMBER.match(rest):
                continue
            return comparator, rest
    return None, text


def parse_indicator_value(raw: object) -> IndicatorValue:
    """Split a typed value: `≧ 1200 人` → (≥, 1200, 人, ...); `达到预期` → (None, None, "", text).

    A remainder that still contains digits (`2025年12月底前`) is not a unit, so such a
    value is kept as text with no number.
    """
    if isinstance(raw, str):
        # A county writes the same few thousand targets (`≥95%`, `≤12个月`) over and over,
        # and scoring parses a whole year's: text is parsed once per process. (Only text:
        # True == 1 for a cache, not for a reader.)
        return _parse_text(raw)
    return _parse(raw)


@lru_cache(maxsize=16384)
def _parse_text(raw: str) -> IndicatorValue:
    return _parse(raw)


def _parse(raw: object) -> IndicatorValue:
    text = clean_text(raw)
    comparator, rest = _leading_comparator(text)
    if comparator is Comparator.QUALITATIVE:
        # `定性：达到预期` keeps only the description.
        return IndicatorValue(comparator, None, "", rest.lstrip(":：").strip())
    match = _NUMBER.match(rest.replace(" ", ""))
    if not match:
        return IndicatorValue(comparator, None, "", text)
    unit = match.group(2).strip()
    if _DIGIT.search(unit):
        return IndicatorValue(comparator, None, "", text)
    return IndicatorValue(comparator, _to_decimal(match.group(1)), unit, text)


def format_target(
    comparator: Comparator | None, number: Decimal | None, unit: str = "", text: str = ""
) -> str:
    """`≥50个`, `≤90万元`, `≥95%`; qualitative or number-less targets show their text."""
    if comparator is Comparator.QUALITATIVE or number is None:
        return text or ("定性" if comparator is Comparator.QUALITATIVE else "")
    symbol = _SYMBOLS.get(comparator, "") if comparator else ""
    return f"{symbol}{plain(number)}{unit}"


@dataclass(frozen=True)
class CellLocation:
    """Where the three cells of one indicator sit, so problems can point at them."""

    sheet: str = ""
    row: int | None = None
    nature_column: str = "指标性质"
    value_column: str = "指标值"
    unit_column: str = "计量单位"


def read_indicator_cells(
    value: object, nature: object = "", unit: object = "", where: CellLocation | None = None
) -> tuple[IndicatorValue, list[Problem]]:
    """Combine the 指标值, 指标性质 and 计量单位 cells of one row into one value.

    The 指标性质 column wins over a comparator written in the value only when they agree;
    a conflict is a blocking problem (the column's comparator is kept). A bare number
    with no comparator anywhere is read as `=` with a warning. A unit cell that differs
    from the unit inside the value is a warning; the unit cell wins.
    """
    at = where or CellLocation()
    problems: list[Problem] = []
    parsed = parse_indicator_value(value)
    comparator = _resolve_comparator(parsed, nature, at, problems)
    unit_cell = normalize_name(unit)
    final_unit = unit_cell or parsed.unit
    if unit_cell and parsed.unit and unit_cell != parsed.unit:
        problems.append(
            _problem(
                at,
                at.unit_column,
                f"计量单位“{unit_cell}”与指标值中的单位“{parsed.unit}”不一致，按“{unit_cell}”处理",
                blocking=False,
            )
        )
    if comparator is Comparator.QUALITATIVE and parsed.number is not None:
        problems.append(
            _problem(at, at.value_column, "定性指标却填写了数值指标值，请核对", blocking=False)
        )
    return IndicatorValue(comparator, parsed.number, final_unit, parsed.text), problems


def _resolve_comparator(
    parsed: IndicatorValue, nature: object, at: CellLocation, problems: list[Problem]
) -> Comparator | None:
    nature_text = normalize_name(nature)
    allowed = _nature_choices(nature_text)
    written = parsed.comparator
    if allowed is None:
        problems.append(_problem(at, at.nature_column, f"无法识别的指标性质“{nature_text}”"))
        allowed = ()
    if allowed and written and written not in allowed:
        message = f"指标性质“{nature_text}”与指标值“{parsed.text}”中的“{written}”矛盾"
        problems.append(_problem(at, at.nature_column, message))
        return allowed[0]
    if written:
        return written
    if allowed and nature_text not in _UNDIRECTED:
        return allowed[0]
    if parsed.number is None:
        return Comparator.QUALITATIVE if parsed.text else None
    problems.append(_problem(at, at.value_column, "指标值未写比较符号，按“=”处理", blocking=False))
    return Comparator.EQ


def _nature_choices(nature_text: str) -> tuple[Comparator, ...] | None:
    """() when the cell is empty, None when it cannot be read."""
    if not nature_text:
        return ()
    if nature_text in _DIRECTIONS:
        return _DIRECTIONS[nature_text]
    comparator = parse_comparator(nature_text)
    return (comparator,) if comparator else None


def _problem(at: CellLocation, column: str, message: str, blocking: bool = True) -> Problem:
    return Problem(message, sheet=at.sheet, row=at.row, column=column, blocking=blocking)
