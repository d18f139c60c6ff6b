"""Writing declared sheets: templates for departments and filled exports.

Normal (not write-only) openpyxl mode, chosen by measurement (tests/perf/bench_spreadsheet.py,
27,000 rows × 9 styled columns, on the CI box): normal mode writes in ~2.4 s and the file reads
back in ~1.8 s. Write-only mode took ~7 s to write, and its files carry no <dimension>, so
openpyxl's read-only loader parses every sheet twice: ~9 s to read back. Normal mode also
leaves nothing to clean up when an export is cancelled (write-only streams to temp files).
Memory for the largest export stays under ~200 MB.

Protection: cells of `locked` columns are locked, every other column is unlocked (cells and
the whole column, so rows typed below the data stay editable), and the sheet is protected
WITHOUT a password: it prevents accidents, not determined users, and a department that must
restructure a sheet can unprotect it (审阅 → 撤销工作表保护) without asking us.

Formula injection: every text value is written as an inline string (`t="inlineStr"`, never
an `<f>` element) and text starting with = + - @ TAB or CR also gets the quotePrefix style,
Excel's own "typed with a leading apostrophe" flag, so editing the cell keeps it text too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.atomic import atomic_path
from app.domain.errors import UserError
from app.domain.money import YUAN_PER_WAN
from app.domain.progress import NO_PROGRESS, Progress

from .columns import KIND_LABELS, Column, Kind, SheetSpec

INSTRUCTIONS_SHEET = "填表说明"
OPTIONS_SHEET = "下拉选项"  # hidden; holds choice lists too long for an inline list
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # Excel's limit per cell
_INLINE_LIST_LIMIT = 255  # Excel's limit on an inline validation list
PROGRESS_EVERY = 1000

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FFFCE4D6")
LOCKED_FILL = PatternFill("solid", fgColor="FFEDEDED")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMATS = {
    Kind.MONEY_WAN: "0.00",
    Kind.INTEGER: "0",
    Kind.YEAR: "0",
    Kind.TEXT: "@",
    Kind.CODE: "@",
    Kind.CHOICE: "@",
}


@dataclass(frozen=True)
class SheetContent:
    """A sheet to write: its spec and rows as {column key: value} (none for a template).
    Money columns take Decimal 元 and are written in 万元."""

    spec: SheetSpec
    rows: Iterable[Mapping[str, Any]] = ()


def write_workbook(
    path: str | Path,
    contents: Sequence[SheetContent],
    *,
    instructions: bool = True,
    protect: bool = True,
    progress: Progress = NO_PROGRESS,
) -> None:
    """Write the sheets (then 填表说明) atomically; UserError when the file is held open."""
    book = Workbook()
    book.remove(book.active)
    option_rows: list[list[str]] = []
    for content in contents:
        _write_sheet(book.create_sheet(content.spec.name), content, option_rows, protect, progress)
    if instructions:
        write_instructions(book.create_sheet(INSTRUCTIONS_SHEET), [c.spec for c in contents])
    if option_rows:  # last, hidden, out of the way
        options = book.create_sheet(OPTIONS_SHEET)
        options.sheet_state = "hidden"
        for row_no, (choice,) in enumerate(option_rows, 1):
            set_text(options.cell(row_no, 1), choice)
    with atomic_path(Path(path)) as temp:
        book.save(temp)


def _write_sheet(
    ws: Worksheet,
    content: SheetContent,
    option_rows: list[list[str]],
    protect: bool,
    progress: Progress,
) -> None:
    spec = content.spec
    _set_columns(ws, spec)
    ws.freeze_panes = f"A{spec.header_row + 1}"
    _write_header(ws, spec)
    for col_idx, column in enumerate(spec.columns, 1):
        if column.kind is Kind.CHOICE and not (protect and column.locked):
            ws.add_data_validation(_choice_validation(spec, col_idx, column, option_rows))
    total = len(content.rows) if isinstance(content.rows, Sized) else 0
    styles = [_CellStyle(ws, column, protect) for column in spec.columns]
    for done, values in enumerate(content.rows, 1):
        row_no = spec.header_row + done
        for col_idx, style in enumerate(styles, 1):
            style.fill(ws.cell(row_no, col_idx), values.get(style.column.key), row_no)
        if done % PROGRESS_EVERY == 0:
            progress.step(done, max(total, done), f"正在写入工作表“{spec.name}”")
    if protect:
        ws.protection.sheet = True
        # Let departments resize, insert rows and filter; everything else stays protected.
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.insertRows = False
        ws.protection.autoFilter = False


def _set_columns(ws: Worksheet, spec: SheetSpec) -> None:
    """Width, and a column style so cells typed below the data keep format and unlock."""
    for idx, column in enumerate(spec.columns, 1):
        dim = ws.column_dimensions[get_column_letter(idx)]
        dim.width = column.width
        dim.number_format = _number_format(column)
        if not column.locked:
            dim.protection = UNLOCKED


def _number_format(column: Column) -> str:
    if column.places is not None:
        return "0" if column.places == 0 else "0." + "0" * column.places
    return NUMBER_FORMATS.get(column.kind, "General")


def _write_header(ws: Worksheet, spec: SheetSpec) -> None:
    for col_idx, column in enumerate(spec.columns, 1):
        cell = ws.cell(spec.header_row, col_idx, column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = HEADER_ALIGN
        note = column_note(column)
        if note:
            cell.comment = Comment(note, "系统", width=260, height=120)


def column_note(column: Column) -> str:
    parts = ["必填。" if column.required else ""]
    if column.locked:
        parts.append("由系统填写，请勿修改。")
    parts.append(column.help)
    return "".join(parts)


def _choice_validation(
    spec: SheetSpec, col_idx: int, column: Column, option_rows: list[list[str]]
) -> DataValidation:
    inline = ",".join(column.choices)
    awkward = any('"' in choice or "," in choice for choice in column.choices)
    if len(inline) + 2 <= _INLINE_LIST_LIMIT and not awkward:
        formula = f'"{inline}"'
    else:  # long lists, or choices containing quotes, live on the hidden options sheet
        first = len(option_rows) + 1
        option_rows.extend([choice] for choice in column.choices)
        sheet = quote_sheetname(OPTIONS_SHEET)
        formula = f"{sheet}!$A${first}:$A${len(option_rows)}"
    letter = get_column_letter(col_idx)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error=f"“{column.header}”请从下拉列表中选择",
    )
    validation.add(f"{letter}{spec.header_row + 1}:{letter}1048576")
    return validation


class _CellStyle:
    """Fills the data cells of one column with the column's fixed style."""

    def __init__(self, ws: Worksheet, column: Column, protect: bool) -> None:
        self.column = column
        proto = Cell(ws)
        proto.number_format = _number_format(column)
        if protect and column.locked:
            proto.fill = LOCKED_FILL
        else:
            proto.protection = UNLOCKED
        # Copying a finished style array is twice as fast as setting styles cell by cell.
        self._style = proto._style

    def fill(self, cell: Cell, value: Any, row_no: int) -> None:
        cell._style = copy(self._style)
        self._set_value(cell, value, row_no)  # after the style: it may add quotePrefix

    def _set_value(self, cell: Cell, value: Any, row_no: int) -> None:
        column = self.column
        if value is None:
            return
        if isinstance(value, bool):
            value = "是" if value else "否"
        if column.kind is Kind.MONEY_WAN and isinstance(value, Decimal | int):
            cell.value = Decimal(value) / YUAN_PER_WAN
        elif isinstance(value, Decimal | int | float) and column.kind not in _TEXT_KINDS:
            cell.value = value
        else:
            set_text(cell, str(value), column.header, row_no)


_TEXT_KINDS = {Kind.TEXT, Kind.CODE, Kind.CHOICE}


def set_text(cell: Any, text: str, header: str = "", row_no: int | None = None) -> None:
    """Store text as text, never as a formula, whatever it starts with."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        where = f"第{row_no}行“{header}”列" if row_no else "单元格"
        raise UserError(f"{where}的内容超过 Excel 单元格 {MAX_CELL_TEXT} 字的上限，无法导出")
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_instructions(ws: Worksheet, specs: Sequence[SheetSpec]) -> None:
    """The 填表说明 sheet: what each column means and how to fill it."""
    widths = {"A": 18, "B": 22, "C": 8, "D": 20, "E": 60}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws["A1"] = "填表说明"
    ws["A1"].font = Font(bold=True, size=14)
    lines: list[list[str]] = [[line] for line in GENERAL_NOTES]
    lines += [[], ["工作表", "列名", "必填", "填写格式", "说明"]]
    header_row = len(lines) + 1
    for spec in specs:
        if spec.description:
            lines.append([spec.name, spec.description])
        lines += [_instruction_row(spec, column) for column in spec.columns]
    for row_no, line in enumerate(lines, 2):
        for col_idx, text in enumerate(line, 1):
            cell = ws.cell(row_no, col_idx)
            set_text(cell, text)
            if row_no == header_row:
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            else:
                cell.alignment = WRAP_TOP


GENERAL_NOTES = (
    "1. 请在各工作表的表头下方逐行填写，不要修改表头文字、不要删除或调换列。",
    "2. 橙色表头的列为必填；灰色单元格由系统填写，请勿修改。",
    "3. 金额单位为万元，直接填写数字（如 12.5），不要带单位；编码按文本填写，保留前导零。",
    "4. 有下拉箭头的列请从列表中选择；不要使用公式，也不要合并单元格。",
    "5. 填好后直接保存为 .xlsx 文件（不要另存为 .xls 或 .et，不要设置密码）。",
)


def _instruction_row(spec: SheetSpec, column: Column) -> list[str]:
    fmt = "百分比（如 95 或 95%）" if column.percent else KIND_LABELS[column.kind]
    if column.kind is Kind.CHOICE:
        fmt += "：" + "、".join(column.choices)
    help_text = ("由系统填写，请勿修改。" if column.locked else "") + column.help
    return [spec.name, column.header, "是" if column.required else "", fmt, help_text]
