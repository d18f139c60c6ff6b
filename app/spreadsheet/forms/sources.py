"""Opening a department's form file (.xlsx, .xls or .docx) without trusting it.

The kind is told by the bytes, not the name (a .xls saved as .xlsx is common). The checks of
app.spreadsheet.safety run first (size, signature, zip bombs, DOCTYPEs); an .xls (OLE) file
is then handed to xlrd, whose failures on hostile bytes all become one "damaged" message.
Forms are small, so each sheet or table is capped at MAX_GRID_CELLS after trimming blanks.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import docx
import openpyxl
import xlrd

from app.domain.errors import UserError
from app.spreadsheet import safety

from .grid import Grid, build_grid, merge_origins, printed

log = logging.getLogger(__name__)

MAX_GRID_CELLS = 200_000  # one sheet or table; a printed form has a few hundred
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".docx")
_SAVE_AS = "请另存为 .xlsx、.xls 或 .docx 后再导入"


def read_grids(path: str | Path) -> list[Grid]:
    """Every sheet (workbooks) or table (Word) of the file, as grids."""
    path = Path(path)
    data = safety.read_bytes(path)
    if len(data) > safety.MAX_FILE_BYTES:
        raise UserError(f"文件“{path.name}”超过 {safety.MAX_FILE_BYTES // 1024 // 1024} MB 的上限")
    if not data:
        raise UserError(f"文件“{path.name}”是空文件")
    if data.startswith(safety.OLE_MAGIC):
        return _xls(path.name, data)
    if not data.startswith(safety.ZIP_MAGIC):
        raise UserError(
            f"文件“{path.name}”不是 Excel 或 Word 文件（可能是 CSV、网页或 PDF）；{_SAVE_AS}"
        )
    kind = "docx" if _is_word(data) else "xlsx"
    safety.check_archive(path.name, data, kind)
    try:
        return _docx(path.name, data) if kind == "docx" else _xlsx(path.name, data)
    except UserError:
        raise
    except Exception as exc:  # hostile input: any parser failure is a damaged file
        raise _damaged(path.name, exc) from None


def _damaged(name: str, exc: BaseException) -> UserError:
    log.warning("could not read form file %s", name, exc_info=exc)
    return UserError(f"文件“{name}”已损坏或含有无法识别的内容，无法读取；{_SAVE_AS}")


def _is_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False  # check_archive reports the damage


def _trimmed(texts: list[list[str]]) -> list[list[str]]:
    while texts and not any(texts[-1]):
        texts.pop()
    width = max((max((i + 1 for i, t in enumerate(r) if t), default=0) for r in texts), default=0)
    return [r[:width] for r in texts]


def _capped(name: str, part: str, rows: int, columns: int) -> None:
    if rows * columns > MAX_GRID_CELLS:
        raise UserError(
            f"文件“{name}”{part}有 {rows} 行 {columns} 列，远超一张表样的大小，已拒绝读取；"
            "请删除无关内容后再导入"
        )


def _xlsx(name: str, data: bytes) -> list[Grid]:
    with safety.openpyxl_quiet():
        # Not read-only: merged areas are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    grids = []
    for sheet in book.worksheets:
        part = f"工作表“{sheet.title}”"
        _capped(name, part, sheet.max_row, sheet.max_column)
        texts = [
            [printed(c.value, "%" in str(c.number_format or "")) for c in row]
            for row in sheet.iter_rows()
        ]
        merges = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in sheet.merged_cells.ranges
        ]
        grids.append(build_grid(name, part, "xlsx", _trimmed(texts), merge_origins(merges)))
    return grids


def _xls(name: str, data: bytes) -> list[Grid]:
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise UserError(
                f"文件“{name}”设置了打开密码（已加密），无法读取；请取消密码后再导入"
            ) from None
        raise UserError(
            f"文件“{name}”不是可读取的 Excel 97-2003 工作簿"
            f"（可能是旧版 Word .doc 或已损坏）；{_SAVE_AS}"
        ) from None
    except Exception as exc:  # hostile bytes: xlrd's compound-document errors and worse
        log.warning("xlrd could not open %s", name, exc_info=exc)
        raise UserError(
            f"文件“{name}”不是可读取的 Excel 97-2003 工作簿（已损坏）；{_SAVE_AS}"
        ) from None
    try:
        return [_xls_sheet(name, book, i) for i in range(book.nsheets)]
    except UserError:
        raise
    except Exception as exc:
        raise _damaged(name, exc) from None
    finally:
        book.release_resources()


def _xls_sheet(name: str, book: object, index: int) -> Grid:
    sheet = book.sheet_by_index(index)  # type: ignore[attr-defined]
    part = f"工作表“{sheet.name}”"
    _capped(name, part, sheet.nrows, sheet.ncols)
    texts = []
    for r in range(sheet.nrows):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)  # type: ignore[attr-defined]
                row.append(printed(value))
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                row.append(printed(cell.value, _xls_percent(book, cell.xf_index)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append("")
            else:
                row.append(printed(cell.value))
        texts.append(row)
    merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
    return build_grid(name, part, "xls", _trimmed(texts), merge_origins(merges))


def _xls_percent(book: object, xf_index: int | None) -> bool:
    try:
        xf = book.xf_list[xf_index]  # type: ignore[attr-defined]
        return "%" in book.format_map[xf.format_key].format_str  # type: ignore[attr-defined]
    except (IndexError, KeyError, TypeError, AttributeError):
        return False


def _docx(name: str, data: bytes) -> list[Grid]:
    document = docx.Document(io.BytesIO(data))
    grids = []
    for number, table in enumerate(document.tables, 1):
        part = f"第{number}个表格"
        _capped(name, part, len(table.rows), len(table.columns))
        texts: list[list[str]] = []
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        first: dict[object, tuple[int, int]] = {}  # a <w:tc> → where it was first seen
        for r, row in enumerate(table.rows):
            line = [""] * row.grid_cols_before
            for cell in row.cells:
                c = len(line)
                top = first.setdefault(cell._tc, (r, c))
                origin[r, c] = top
                line.append(printed(cell.text) if top == (r, c) else "")
            texts.append(line)
        grids.append(build_grid(name, part, "docx", _trimmed(texts), origin))
    return grids
