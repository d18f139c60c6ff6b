"""Renderer-neutral document model.

A report is composed once from service results as a `Document` and rendered to both .docx
and PDF. Heading numbers (一、 （一） 1. （1）) are NOT part of the heading text: both
renderers number headings in document order through `HeadingNumberer`, so a composer
can reorder or drop sections without renumbering by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from itertools import pairwise
from pathlib import Path


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


@dataclass(frozen=True)
class Span:
    """A run of paragraph text; bold renders as bold in Word and as 黑体 in PDF."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Body text, 3号仿宋. `text` is plain text or a tuple of spans."""

    text: str | tuple[Span, ...]
    indent: bool = True
    align: Align = Align.JUSTIFY

    @property
    def spans(self) -> tuple[Span, ...]:
        return (Span(self.text),) if isinstance(self.text, str) else self.text

    @property
    def plain_text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Heading:
    """Heading of level 1-4; the renderer adds the number (一、 （一） 1. （1）)."""

    level: int
    text: str
    numbered: bool = True

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"heading level must be 1-4, got {self.level}")


@dataclass(frozen=True)
class Column:
    """Relative width (any positive number) and default alignment of body cells."""

    width: float = 1.0
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: Align | None = None  # None: the column's alignment (header cells: centred)
    bold: bool = False
    one_line: bool = False  # text (CJK too) shrinks to one line, down to MIN_SHRINK, first


CellLike = Cell | str
Row = tuple[CellLike, ...]


@dataclass(frozen=True)
class PlacedCell:
    """A cell with its grid position, computed once by `Table.grid`."""

    row: int
    col: int
    cell: Cell
    header: bool


@dataclass(frozen=True)
class Table:
    """A table whose rows are laid out like HTML: spanned positions are skipped.

    `header_rows` repeat on every page when `repeat_header` is set. `unit` prints
    right-aligned above the table (e.g. "单位：万元"); `caption` prints centred above it.
    `compact` tightens the rows of one-page forms (the monitoring table).
    """

    columns: tuple[Column, ...]
    header_rows: tuple[Row, ...] = ()
    body_rows: tuple[Row, ...] = ()
    font_size: float = 10.5
    repeat_header: bool = True
    caption: str | None = None
    unit: str | None = None
    compact: bool = False  # tighter rows, for one-page forms with many lines (PDF)

    def __post_init__(self) -> None:
        self.grid()  # validate spans early, where the composer can see the stack

    @property
    def row_count(self) -> int:
        return len(self.header_rows) + len(self.body_rows)

    def grid(self) -> list[PlacedCell]:
        """Place every cell on the grid; raises ValueError when rows do not fit."""
        ncols = len(self.columns)
        rows = (*self.header_rows, *self.body_rows)
        nheader = len(self.header_rows)
        taken: set[tuple[int, int]] = set()
        placed: list[PlacedCell] = []
        for r, row in enumerate(rows):
            c = 0
            for item in row:
                cell = Cell(item) if isinstance(item, str) else item
                while (r, c) in taken:
                    c += 1
                if c + cell.colspan > ncols or r + cell.rowspan > len(rows):
                    raise ValueError(f"表格第{r + 1}行的单元格“{cell.text}”超出表格范围")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                placed.append(PlacedCell(r, c, cell, r < nheader))
                c += cell.colspan
        if len(taken) != ncols * len(rows):
            missing = next(
                (r, c) for r in range(len(rows)) for c in range(ncols) if (r, c) not in taken
            )
            raise ValueError(f"表格第{missing[0] + 1}行第{missing[1] + 1}列缺少单元格")
        return placed


def merge_repeats(rows: Sequence[Row], columns: int) -> tuple[Row, ...]:
    """Merge runs of equal values in the first `columns` columns into row-spanned cells.

    A column's runs never cross a run boundary of the columns before it, so 二级指标 merge
    within their 一级指标: (产出, 数量, a), (产出, 数量, b), (效益, 数量, c) becomes
    (产出↓2, 数量↓2, a), (b,), (效益, 数量, c). Merged cells may cross pages.
    """
    n = len(rows)
    boundaries = {0}
    spans: list[dict[int, int]] = []  # per column: first row of a run -> its length
    for k in range(columns):
        boundaries |= {i for i in range(1, n) if _text(rows[i][k]) != _text(rows[i - 1][k])}
        ordered = [*sorted(boundaries), n]
        spans.append({a: b - a for a, b in pairwise(ordered)})
    out: list[Row] = []
    for i, row in enumerate(rows):
        cells = [_spanned(row[k], spans[k][i]) for k in range(columns) if i in spans[k]]
        out.append((*cells, *row[columns:]))
    return tuple(out)


def _text(item: CellLike) -> str:
    return item if isinstance(item, str) else item.text


def _spanned(item: CellLike, rowspan: int) -> CellLike:
    if rowspan == 1:
        return item
    return Cell(item, rowspan=rowspan) if isinstance(item, str) else replace(item, rowspan=rowspan)


@dataclass(frozen=True)
class BarChart:
    """Vertical bars with their values on top, e.g. the grade distribution 优/良/中/差."""

    categories: tuple[str, ...]
    values: tuple[float, ...]
    value_label: str | None = None
    value_format: str = "{:g}"
    width_mm: float = 150.0
    height_mm: float = 80.0


@dataclass(frozen=True)
class GroupedBarChart:
    """Horizontal bars per category (first on top) and series, each with its value;
    `reference` is a line such as (50.0, "序时进度") across the chart; values are
    percentages when `percent`."""

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    reference: tuple[float, str] | None = None
    percent: bool = False
    width_mm: float = 150.0
    height_mm: float = 80.0


Chart = BarChart | GroupedBarChart


@dataclass(frozen=True)
class Figure:
    """An image scaled to `width_mm`, with an optional caption: a PNG (bytes or file path)
    or a chart described by its data, which the PDF draws as vector graphics and the
    .docx as a PNG (app/reports/charts.py, drawn only when asked for)."""

    image: bytes | Path | Chart
    width_mm: float = 150.0
    caption: str | None = None

    def image_bytes(self) -> bytes:
        if isinstance(self.image, BarChart | GroupedBarChart):
            from app.reports.charts import chart_png  # matplotlib: only for a PNG

            return chart_png(self.image)
        return self.image if isinstance(self.image, bytes) else Path(self.image).read_bytes()


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Landscape:
    """Blocks rendered on landscape pages (wide tables); starts and ends on a new page."""

    blocks: tuple[Block, ...]


Block = Paragraph | Heading | Table | Figure | PageBreak | Landscape


@dataclass(frozen=True)
class SignatureBlock:
    """发文机关署名 and 成文日期 at the end of the document."""

    org: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Cover:
    """A cover page for bound books (e.g. all goal tables of a year)."""

    title: str
    subtitle: str | None = None
    org: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...] = ()
    subtitle: str | None = None
    recipient: str | None = None  # 主送机关, printed as "XX：" under the title
    doc_number: str | None = None  # 发文字号 (e.g. 示财〔2025〕12号), centred above the title
    signature: SignatureBlock | None = None
    attachments: tuple[str, ...] = ()  # 附件说明: names of the attachments
    cover: Cover | None = None
    toc: bool = False
    toc_levels: int = 2
    draft: bool = False  # printed with 草稿 on every page (see unfilled_sections)
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def format_date(date: dt.date) -> str:
    """`2025年7月1日`: GB/T 9704 writes dates without zero padding."""
    return f"{date.year}年{date.month}月{date.day}日"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (headings rarely exceed 99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


class HeadingNumberer:
    """Generates 一、 （一） 1. （1） in document order; a higher level resets lower ones."""

    def __init__(self) -> None:
        self._counters = [0, 0, 0, 0]

    def label(self, heading: Heading) -> str:
        if not heading.numbered:
            return ""
        i = heading.level - 1
        self._counters[i] += 1
        for lower in range(i + 1, 4):
            self._counters[lower] = 0
        n = self._counters[i]
        return (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[i]


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """All blocks in document order, descending into landscape sections."""
    for block in blocks:
        if isinstance(block, Landscape):
            yield from iter_blocks(block.blocks)
        else:
            yield block


PLACEHOLDER_MARK = "【"  # 【请补充：…】: text the clerk must write before the report is final


def unfilled_sections(document: Document) -> list[str]:
    """Where `document` still holds a 【…】 placeholder, as printed: the numbered heading path
    of each such section (e.g. "一、基本工作情况（一）组织保障"), in document order."""
    numberer = HeadingNumberer()
    path: list[str] = []
    found: list[str] = []
    for block in iter_blocks(document.blocks):
        if isinstance(block, Heading):
            del path[block.level - 1 :]
            path.append(numberer.label(block) + block.text)
            continue
        if isinstance(block, Paragraph):
            texts = [block.plain_text]
        elif isinstance(block, Table):
            texts = [_text(c) for row in (*block.header_rows, *block.body_rows) for c in row]
        else:
            continue
        if any(PLACEHOLDER_MARK in t for t in texts):
            where = "".join(path) or "正文开头"
            if where not in found:
                found.append(where)
    return found
