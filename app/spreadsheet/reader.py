"""Reading declared sheets from a department's workbook, collecting every problem.

Phase one of a two-phase import: nothing here touches the database. `read_workbook` either
raises a UserError about the file as a whole (not an xlsx, encrypted, too big, damaged,
locked) or returns every sheet's typed rows together with every located problem; services
add their own checks (unknown departments, ...) and save only when nothing blocks.

Tolerant readings (the documented import rules; the user guide should repeat them):
- sheets are found by name after trimming spaces and folding full-width characters; a hidden
  sheet is read when its name is expected (with a warning), every other sheet is ignored;
- the header row is searched in the first rows (title lines above it are fine); headers
  match after the same folding, all spaces and a '*' marker removed; unknown columns are
  ignored; a missing column that is required (or header_required: cells may be blank but
  the column must be there, lest its absence blank stored data) gives one problem; a
  header found twice is blocking;
- blank rows anywhere are skipped; text is trimmed; numbers may be text with full-width
  digits, thousands separators, or a '%' in percentage columns;
- merged cells: a merged header works; in data rows the value belongs to the first row of
  the merge, the other rows are blank (with a warning), except columns declared
  `fill_merged` (grouping labels such as 一级指标), where every covered row gets the value;
- formulas count by their cached result; one without a result, an error value (#N/A) or a
  date in a number column is a located problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.progress import NO_PROGRESS, Cancelled, Progress

from . import safety
from .columns import Column, SheetSpec, normalise_label
from .scan import CellBudget, RawSheet, check_declared_size, percent_styles, scan_sheet
from .values import convert, is_plain_text, trimmed

HEADER_SEARCH_ROWS = 10  # rows after header_row still searched for the header
MAX_PROBLEMS_PER_SHEET = 5000  # a wholly wrong sheet should not fill memory with problems


@dataclass
class SheetRow:
    """One data row: its Excel row number and a typed value (or None) per column key."""

    row: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass
class SheetData:
    spec: SheetSpec
    found: bool = False
    header_row: int | None = None
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)  # keys of declared columns not in the file
    # The sheet's shape is wrong (missing sheet, header or column, a header twice): its rows
    # cannot be trusted, so services report the reader's problems and check nothing more.
    malformed: bool = False

    def problem(
        self, message: str, row: int | None = None, key: str = "", blocking: bool = True
    ) -> Problem:
        """A problem located in this sheet, for checks made after reading (duplicates...)."""
        header = self.spec.column(key).header if key else ""
        return Problem(message, self.spec.name, row, header, blocking)


@dataclass
class WorkbookData:
    file_name: str
    sheets: dict[str, SheetData]

    def __getitem__(self, sheet_name: str) -> SheetData:
        return self.sheets[sheet_name]

    @property
    def problems(self) -> list[Problem]:
        return [p for sheet in self.sheets.values() for p in sheet.problems]

    @property
    def has_blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    @property
    def malformed(self) -> bool:
        return any(sheet.malformed for sheet in self.sheets.values())

    def raise_if_malformed(self) -> None:
        """Stop before the services' checks when a sheet's shape is wrong: every row would
        otherwise repeat the consequence of one missing column (blank → 0, not filled...)."""
        if self.malformed:
            raise ValidationFailed(
                self.problems, f"文件“{self.file_name}”的表格结构有问题，未导入任何数据："
            )

    def raise_if_blocking(self) -> None:
        if self.has_blocking:
            raise ValidationFailed(self.problems, f"文件“{self.file_name}”有问题，未导入任何数据：")


def read_workbook(
    path: str | Path, specs: Sequence[SheetSpec], progress: Progress = NO_PROGRESS
) -> WorkbookData:
    """Every declared sheet of the file, typed and checked. Raises UserError for the file
    as a whole and Cancelled when the user cancels."""
    path = Path(path)
    with safety.open_workbook(path) as book:
        try:
            return _read(book, path.name, specs, progress)
        except (UserError, Cancelled):
            raise
        except Exception as exc:  # malformed XML met while streaming a sheet
            raise safety.damaged(path.name, exc) from None


def _read(
    book: Workbook, file_name: str, specs: Sequence[SheetSpec], progress: Progress
) -> WorkbookData:
    result = WorkbookData(file_name, {spec.name: SheetData(spec) for spec in specs})
    found = {spec.name: _find_sheet(book, spec) for spec in specs}
    sheets = [ws for ws in found.values() if ws is not None]
    total = check_declared_size(file_name, sheets)
    budget = CellBudget(file_name)
    percent = percent_styles(book)
    done = 0
    for spec in specs:
        data, ws = result.sheets[spec.name], found[spec.name]
        if ws is None:
            if spec.required:
                data.problems.append(Problem(f"缺少工作表“{spec.name}”", spec.name))
                data.malformed = True
            continue
        data.found = True
        if ws.sheet_state != "visible":
            data.problems.append(
                Problem("该工作表是隐藏的，仍按导入要求读取", spec.name, blocking=False)
            )
        with safety.openpyxl_quiet():
            raw = scan_sheet(ws, budget, progress, percent, done, total)
        done += ws.max_row or 0
        _fill_sheet(data, raw)
    progress.step(max(done, 1), max(done, 1), "读取完成")
    return result


def _find_sheet(book: Workbook, spec: SheetSpec) -> Any:
    wanted = normalise_label(spec.name)
    matches = [ws for ws in book.worksheets if normalise_label(ws.title) == wanted]
    exact = [ws for ws in matches if ws.title == spec.name]
    return (exact or matches or [None])[0]


def _fill_sheet(data: SheetData, raw: RawSheet) -> None:
    spec = data.spec
    header_row, positions = _find_header(data, raw)
    if header_row is None:
        return
    data.header_row = header_row
    filled = _merged_fill(data, raw, header_row, positions)
    # Per column, once: where it is and whether its text cells need converting.
    places = [pos for _, pos in positions]
    readers = [(col, col.key, is_plain_text(col)) for col, _ in positions]
    for row_no, values in raw.rows:
        if row_no <= header_row:
            continue
        cells = [trimmed(values.get(pos)) for pos in places]
        if all(v is None for v in cells):
            continue  # blank rows in the middle, or only notes in unknown columns
        if filled:
            for i, pos in enumerate(places):
                if cells[i] is None and (row_no, pos) in filled:
                    cells[i] = trimmed(filled[row_no, pos])
        data.rows.append(SheetRow(row_no, _typed_row(data, row_no, readers, cells)))
    for col in spec.columns:  # absent optional columns read as blank
        if all(col is not c for c, _ in positions):
            for row in data.rows:
                row.values[col.key] = None
    _check_unique(data)
    _cap_problems(data)


def _typed_row(
    data: SheetData, row_no: int, readers: list[tuple[Column, str, bool]], cells: list[Any]
) -> dict[str, Any]:
    """Typed values of one row's trimmed cells (None = blank), in column order."""
    typed: dict[str, Any] = {}
    for (column, key, plain_text), value in zip(readers, cells, strict=True):
        if value is None:
            typed[key] = None
            if column.required:
                data.problems.append(_at(data, "必填，不能为空", row_no, column))
        elif plain_text and isinstance(value, str):
            typed[key] = value
        else:
            try:
                typed[key] = convert(column, value)
            except ValueError as exc:
                typed[key] = None
                data.problems.append(_at(data, str(exc), row_no, column))
    return typed


def _at(
    data: SheetData, message: str, row: int | None, column: Column, blocking: bool = True
) -> Problem:
    return Problem(message, data.spec.name, row, column.header, blocking)


def _header_cells(raw: RawSheet, row_no: int, values: dict[int, Any]) -> dict[int, Any]:
    """A header row's cells, taking a vertically merged header's text from above."""
    cells = dict(values)
    for merge in raw.merges:
        if merge.min_row < row_no <= merge.max_row and merge.min_col not in cells:
            top = next((v for r, v in raw.rows if r == merge.min_row), {})
            if merge.min_col in top:
                cells[merge.min_col] = top[merge.min_col]
    return cells


def _find_header(data: SheetData, raw: RawSheet) -> tuple[int | None, list[tuple[Column, int]]]:
    """The best-matching header row near spec.header_row and each column's position."""
    spec = data.spec
    limit = spec.header_row + HEADER_SEARCH_ROWS
    best: tuple[tuple[int, int], int, dict[str, list[int]]] | None = None
    for row_no, values in raw.rows:
        if row_no > limit:
            break
        by_label: dict[str, list[int]] = {}
        for pos, value in sorted(_header_cells(raw, row_no, values).items()):
            by_label.setdefault(normalise_label(value), []).append(pos)
        found = [c for c in spec.columns if any(lb in by_label for lb in c.match_labels)]
        score = (sum(c.must_exist for c in found), len(found))
        if found and (best is None or score > best[0]):
            best = (score, row_no, by_label)
    if best is None:
        names = "、".join(c.header for c in spec.columns if c.required) or spec.columns[0].header
        data.problems.append(
            Problem(f"找不到表头（应包含：{names}），请使用导出的模板", spec.name, spec.header_row)
        )
        data.malformed = True
        return None, []
    _, header_row, by_label = best
    return header_row, _positions(data, header_row, by_label)


def _positions(
    data: SheetData, header_row: int, by_label: dict[str, list[int]]
) -> list[tuple[Column, int]]:
    positions = []
    for col in data.spec.columns:
        found = sorted({p for label in col.match_labels for p in by_label.get(label, [])})
        if not found:
            data.absent.add(col.key)
            if col.must_exist:
                data.malformed = True
                message = f"缺少“{col.header}”列，请使用导出的模板，不要删除或修改表头"
                data.problems.append(Problem(message, data.spec.name, header_row))
            continue
        if len(found) > 1:
            data.malformed = True
            letters = "、".join(get_column_letter(p) for p in found)
            data.problems.append(
                _at(data, f"表头出现在多列（{letters}），请删除多余的列", header_row, col)
            )
        positions.append((col, found[0]))
    return positions


def _merged_fill(
    data: SheetData, raw: RawSheet, header_row: int, positions: list[tuple[Column, int]]
) -> dict[tuple[int, int], Any]:
    """Cells covered by a vertical merge in a fill_merged column → the merge's value; a
    warning for merges elsewhere in the data, whose value counts for the first row only."""
    by_pos = {pos: col for col, pos in positions}
    rows = dict(raw.rows)
    filled: dict[tuple[int, int], Any] = {}
    for merge in raw.merges:
        col = by_pos.get(merge.min_col)
        if col is None or merge.min_row <= header_row or merge.max_row == merge.min_row:
            continue
        if not col.fill_merged:
            message = f"合并单元格 {merge.coord} 的内容只计入第{merge.min_row}行，其余行按空白处理"
            data.problems.append(_at(data, message, merge.min_row, col, blocking=False))
            continue
        value = rows.get(merge.min_row, {}).get(merge.min_col)
        for row_no in range(merge.min_row + 1, merge.max_row + 1):
            filled[row_no, merge.min_col] = value
    return filled


def _check_unique(data: SheetData) -> None:
    for keys in data.spec.unique:
        first_seen: dict[tuple[Any, ...], int] = {}
        column = data.spec.column(keys[0])
        names = "、".join(data.spec.column(k).header for k in keys)
        for row in data.rows:
            key = tuple(row.values.get(k) for k in keys)
            if any(v is None for v in key):
                continue
            if key in first_seen:
                message = f"{names}与第{first_seen[key]}行重复"
                data.problems.append(_at(data, message, row.row, column))
            else:
                first_seen[key] = row.row


def _cap_problems(data: SheetData) -> None:
    extra = len(data.problems) - MAX_PROBLEMS_PER_SHEET
    if extra > 0:
        del data.problems[MAX_PROBLEMS_PER_SHEET:]
        data.problems.append(
            Problem(f"另有 {extra} 个问题未列出，请先改正以上问题", data.spec.name)
        )
