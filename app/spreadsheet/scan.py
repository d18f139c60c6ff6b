"""Streaming the raw cells of one read-only worksheet.

openpyxl's `iter_rows(values_only=True)` loses three things an import needs: whether a
formula had a cached result, Excel error values, and percentage formatting; it also trusts
the sheet's <dimension>, silently cutting rows off when the dimension is too small. So this
module drives openpyxl's own streaming `WorkSheetParser` (the parser `iter_rows` uses) with a
small subclass. That parser is internal API; the formula, percent and dimension tests in
`tests/unit/spreadsheet` fail loudly if an openpyxl upgrade changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.xml.constants import SHEET_MAIN_NS

from app.domain.errors import UserError
from app.domain.progress import Progress

from . import safety
from .values import FORMULA_WITHOUT_RESULT, ErrorValue, PercentNumber

PROGRESS_EVERY = 1000  # rows
_T = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass
class RawSheet:
    """Non-empty rows as (Excel row number, {column number: value}), plus merged ranges."""

    title: str
    rows: list[tuple[int, dict[int, Any]]] = field(default_factory=list)
    merges: list[CellRange] = field(default_factory=list)


@dataclass
class CellBudget:
    """Counts cells while reading: a sheet's <dimension> is written by whoever made the file
    and may be absent or wrong, so the declared size alone proves nothing."""

    file_name: str
    spent: int = 0

    def spend(self, cells: int, sheet: str) -> None:
        self.spent += cells
        if self.spent > safety.MAX_CELLS:
            raise UserError(_too_many(self.file_name, sheet))


def _too_many(file_name: str, sheet: str) -> str:
    return (
        f"文件“{file_name}”的工作表“{sheet}”超过 {safety.MAX_CELLS:,} 个单元格的上限；"
        "请只保留需要导入的数据后再导入"
    )


def check_declared_size(file_name: str, sheets: list[ReadOnlyWorksheet]) -> int:
    """Refuse before iterating when the declared dimensions are already too big; returns the
    declared row total for the progress bar (0 when unknown)."""
    cells = rows = 0
    for ws in sheets:
        max_row, max_col = ws.max_row or 0, ws.max_column or 0
        cells += max_row * max_col
        rows += max_row
        if cells > safety.MAX_CELLS:
            raise UserError(_too_many(file_name, ws.title))
    return rows


def percent_styles(book: Workbook) -> frozenset[int]:
    """Style ids whose number format shows a percentage (Excel stores 95% as 0.95)."""
    found = set()
    custom = list(getattr(book, "_number_formats", []))
    for idx, style in enumerate(getattr(book, "_cell_styles", [])):
        fmt_id = style.numFmtId
        if fmt_id >= BUILTIN_FORMATS_MAX_SIZE and fmt_id - BUILTIN_FORMATS_MAX_SIZE < len(custom):
            code = custom[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
        else:
            code = BUILTIN_FORMATS.get(fmt_id, "")
        # '%' inside quotes, after a backslash or in [colour] is literal text, not a percent.
        if "%" in _QUOTED.sub("", code):
            found.add(idx)
    return frozenset(found)


class _CellParser(WorkSheetParser):
    """Cached values (data_only) that keep what values_only throws away."""

    percent: frozenset[int] = frozenset()

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") == "inlineStr":
            return self._inline_string(element)
        try:
            cell = super().parse_cell(element)
        except ValueError:  # a number cell holding NaN, INF… (written by some other tool)
            return self._odd_number(element)
        value = cell["value"]
        if value is None:
            if element.find(FORMULA_TAG) is not None and not _empty_text_result(element):
                cell["value"] = FORMULA_WITHOUT_RESULT
        elif cell["data_type"] == "e":
            cell["value"] = ErrorValue(str(value))
        elif cell["data_type"] == "n" and cell["style_id"] in self.percent:
            cell["value"] = PercentNumber(value)
        return cell

    def _odd_number(self, element: Any) -> dict[str, Any]:
        """The cell's text as a float (NaN, ±inf: convert() locates the problem), else as
        an error value, rather than refusing the whole file as damaged."""
        row, column = self._position(element)
        node = element.find(VALUE_TAG)
        text = (node.text or "").strip() if node is not None else ""
        try:
            value: Any = float(text)
        except ValueError:
            value = ErrorValue(text[:20])
        style_id = int(element.get("s") or 0)
        return {
            "row": row,
            "column": column,
            "value": value,
            "data_type": "n",
            "style_id": style_id,
        }

    def _position(self, element: Any) -> tuple[int, int]:
        coordinate = element.get("r")
        if coordinate:
            # The usual "B12" in one regex match; anything odd as openpyxl reads it.
            plain = _CELL_REF.fullmatch(coordinate)
            if plain:
                row, column = int(plain[2]), column_index_from_string(plain[1])
            else:
                row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
            return row, column
        self.col_counter += 1
        return self.row_counter, self.col_counter

    def _inline_string(self, element: Any) -> dict[str, Any]:
        """openpyxl builds a rich-text object per inline string (a quarter of the read time
        for files written by openpyxl); the plain text is all an import needs."""
        row, column = self._position(element)
        node = element.find(INLINE_STRING)
        value = None
        if node is not None and len(node) == 1 and node[0].tag == _T:
            value = node[0].text or ""  # the usual <is><t>…</t></is>, as the loop reads it
        elif node is not None:  # <t> directly, or inside rich-text runs <r>; never phonetic <rPh>
            direct, runs = [], []
            for child in node:  # one pass over the children: ElementPath per cell is slow
                if child.tag == _T:
                    direct.append(child.text or "")
                elif child.tag == _RUN:
                    runs += [t.text or "" for t in child if t.tag == _T]
            value = "".join(direct + runs)
        style_id = int(element.get("s") or 0)
        return {
            "row": row,
            "column": column,
            "value": value,
            "data_type": "s",
            "style_id": style_id,
        }


def _empty_text_result(element: Any) -> bool:
    """A formula that calculated to "" (t="str" with an empty <v>), as =IF(...,"",...)
    gives; tools that never calculate write no <v> or an empty one without t="str"."""
    return element.get("t") == "str" and element.find(VALUE_TAG) is not None


def scan_sheet(
    ws: ReadOnlyWorksheet,
    budget: CellBudget,
    progress: Progress,
    percent: frozenset[int],
    rows_done: int = 0,
    rows_total: int = 0,
) -> RawSheet:
    """Every non-empty row of the sheet, reading past a too-small <dimension>."""
    book = ws.parent
    raw = RawSheet(ws.title)
    with ws._get_source() as source:
        parser = _CellParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        parser.percent = percent
        for count, (row_no, cells) in enumerate(parser.parse(), 1):
            budget.spend(max(len(cells), 1), ws.title)
            values = {c["column"]: c["value"] for c in cells if c["value"] is not None}
            if values:
                raw.rows.append((row_no, values))
            if count % PROGRESS_EVERY == 0:
                done = rows_done + count
                progress.step(done, max(rows_total, done), f"正在读取工作表“{ws.title}”")
        if parser.merged_cells is not None:
            raw.merges = [CellRange(m.ref) for m in parser.merged_cells.mergeCell]
    return raw
