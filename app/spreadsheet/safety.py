"""Opening a workbook from a department without trusting it.

Everything that can be checked on the bytes is checked before openpyxl sees the file: size,
file signature (old .xls/.et, encrypted, CSV or HTML renamed to .xlsx), the zip directory
(decompression bombs) and a DOCTYPE in any XML part (entity expansion). openpyxl then parses
with defusedxml (worksheets, through `defusedxml.ElementTree.iterparse`) and lxml with
`resolve_entities=False` (workbook parts): it picks both up by itself when installed, and
`tests/integration/test_spreadsheet_hostile.py` checks that a billion-laughs sheet is
refused even with our own DOCTYPE check switched off.
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from app.domain.errors import UserError

log = logging.getLogger(__name__)

# Limits, module-level so tests can lower them.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELLS = 1_000_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # whole archive, per the zip directory
MAX_RATIO = 200  # uncompressed/compressed for one member...
RATIO_MIN_BYTES = 10 * 1024 * 1024  # ...once it is this large (tiny parts compress well)
MAX_MEMBERS = 10_000
PROLOG_BYTES = 4096  # a DOCTYPE must come before the root element

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_DOCTYPES = tuple("<!DOCTYPE".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))

LOCKED_MESSAGE = "文件“{name}”被占用，请关闭 Excel/WPS 后重试"
SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"


def read_bytes(path: Path) -> bytes:
    """The whole file (at most MAX_FILE_BYTES), so checks and parsing see the same bytes."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(
                f"文件“{name}”有 {size / 1024 / 1024:.1f} MB，超过 "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB 的上限；请删除无关的工作表或图片后再导入"
            )
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path}”") from None
    except IsADirectoryError:
        raise UserError(f"“{path}”是文件夹，不是 Excel 文件") from None
    except PermissionError:
        raise UserError(LOCKED_MESSAGE.format(name=name)) from None
    except OSError as exc:
        raise UserError(f"无法读取文件“{name}”：{exc.strerror or exc}") from None


def check_signature(name: str, data: bytes) -> None:
    """Refuse anything that is not a zip package, saying what it probably is."""
    if not data:
        raise UserError(f"文件“{name}”是空文件")
    if data.startswith(ZIP_MAGIC):
        return
    if data.startswith(OLE_MAGIC):
        # Encrypted .xlsx files are OLE containers holding an EncryptionInfo stream.
        if _ENCRYPTION_STREAM in data[: 1 << 20] or _ENCRYPTION_STREAM in data[-(1 << 20) :]:
            raise UserError(
                f"文件“{name}”设置了打开密码（已加密），无法读取；"
                "请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入"
            )
        raise UserError(
            f"文件“{name}”是旧版 Excel 97-2003（.xls）或 WPS（.et）格式；{SAVE_AS_XLSX}"
        )
    raise UserError(
        f"文件“{name}”不是 Excel 工作簿（.xlsx），可能是 CSV、网页或其他文件；{SAVE_AS_XLSX}"
    )


def check_archive(name: str, data: bytes, kind: str = "xlsx") -> None:
    """Zip directory checks: the package kind (xlsx or docx), bombs, encrypted members,
    DOCTYPEs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UserError(f"文件“{name}”已损坏，无法作为 .xlsx 打开") from None
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if kind == "docx":
            _check_word_package(name, names)
        else:
            _check_package_kind(name, names)
        if len(members) > MAX_MEMBERS:
            raise UserError(f"文件“{name}”内部结构异常（部件过多），已拒绝读取")
        total = 0
        for info in members:
            if info.flag_bits & 0x1:
                raise UserError(f"文件“{name}”已加密，请取消密码后另存为 .xlsx 再导入")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (
                info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO
            ):
                raise UserError(f"文件“{name}”解压后异常巨大（疑似压缩炸弹），已拒绝读取")
        for info in members:
            if info.filename.endswith((".xml", ".rels")) and _has_doctype(archive, info):
                raise UserError(
                    f"文件“{name}”的部件 {info.filename} 含有 DOCTYPE 声明，"
                    "正常的 Office 文件不会有，已拒绝读取"
                )


def _check_package_kind(name: str, names: set[str]) -> None:
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise UserError(f"文件“{name}”是 Excel 二进制工作簿（.xlsb）；{SAVE_AS_XLSX}")
    if "word/document.xml" in names:
        raise UserError(f"文件“{name}”是 Word 文档，不是 Excel 工作簿")
    if "mimetype" in names or "content.xml" in names:
        raise UserError(f"文件“{name}”是 OpenDocument 表格（.ods）；{SAVE_AS_XLSX}")
    raise UserError(f"文件“{name}”不是 Excel 工作簿（.xlsx）；{SAVE_AS_XLSX}")


def _check_word_package(name: str, names: set[str]) -> None:
    if "word/document.xml" not in names:
        raise UserError(f"文件“{name}”不是 Word 文档（.docx）；请在 Word 或 WPS 中另存为 .docx")


def _has_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(info) as member:
            prolog = member.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError):
        return False  # openpyxl will fail on it and we report the damage then
    return any(marker in prolog for marker in _DOCTYPES)


@contextmanager
def openpyxl_quiet() -> Iterator[None]:
    """openpyxl warns about features it drops on read (data-validation extensions, slicers,
    missing default styles, out-of-range dates which it turns into #VALUE!). None of them
    affects cell values, and tests turn warnings into errors, so they are silenced here,
    and only here. catch_warnings is process-wide: imports run on one worker thread."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        yield


def damaged(name: str, exc: BaseException) -> UserError:
    """openpyxl failing on a file that passed our checks means a malformed package."""
    log.warning("openpyxl could not read %s", name, exc_info=exc)
    return UserError(f"文件“{name}”已损坏或含有无法识别的内容，无法读取；{SAVE_AS_XLSX}")


@contextmanager
def open_workbook(path: str | Path) -> Iterator[Workbook]:
    """A read-only, cached-values workbook opened after every safety check."""
    path = Path(path)
    data = read_bytes(path)
    if len(data) > MAX_FILE_BYTES:  # grew between stat() and read()
        raise UserError(f"文件“{path.name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限")
    check_signature(path.name, data)
    check_archive(path.name, data)
    try:
        with openpyxl_quiet():
            # A file object, not the path: openpyxl would refuse a .xlsx saved as "x.xls".
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UserError:
        raise
    except Exception as exc:  # hostile input: any parser failure is a damaged file
        raise damaged(path.name, exc) from None
    try:
        yield book
    finally:
        book.close()
