"""Saving a workbook atomically: a temporary file in the same folder, then os.replace.

A failure at any point (disk full, cancel, a bug) leaves the previous file untouched and no
temporary file behind. Excel and WPS hold the files they have open, which on Windows makes
the replace fail with PermissionError: that becomes the "文件被占用" message.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from openpyxl import Workbook

from app.domain.errors import UserError

from .safety import LOCKED_MESSAGE


def save_atomically(book: Workbook, path: Path) -> None:
    folder = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise UserError(f"文件夹“{folder}”不存在") from None
    except PermissionError:
        raise UserError(f"没有权限在文件夹“{folder}”中保存文件") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        book.save(temp)
        os.replace(temp, path)
    except PermissionError:
        raise UserError(LOCKED_MESSAGE.format(name=path.name)) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise UserError(f"磁盘空间不足，文件“{path.name}”未保存") from None
        raise UserError(f"无法保存文件“{path.name}”：{exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
