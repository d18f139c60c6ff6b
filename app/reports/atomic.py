"""Atomic file writing with Chinese messages for the usual failures."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.reports.errors import ReportError


def _error_for(exc: OSError, path: Path) -> ReportError:
    if isinstance(exc, PermissionError):
        return ReportError(f"文件被占用或无写入权限：{path}，请关闭 Word/WPS 后重试")
    if isinstance(exc, FileNotFoundError):
        return ReportError(f"保存位置不存在：{path.parent}")
    if exc.errno == errno.ENOSPC:
        return ReportError(f"磁盘空间不足，无法保存：{path}")
    return ReportError(f"无法保存文件：{path}（{exc.strerror or exc}）")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temp path beside `path`; on success it replaces `path` in one step.

    On any exception the temp file is removed and the target is left untouched.
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _error_for(exc, path) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS):
                raise _error_for(exc, path) from exc
            raise
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise _error_for(exc, path) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
