"""Writing files atomically, with Chinese messages for the usual failures.

Every export (workbooks, reports, backups) goes through here: the new content is written to
a temporary file in the target's folder and moved over the target in one step, so a crash,
a full disk or a cancel never leaves a half-written file. On Windows, Excel, Word and WPS
hold the files they have open, which makes the final move fail: that becomes "被占用".
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.domain.errors import UserError


def write_error(exc: OSError, path: Path) -> UserError:
    """The user's view of an OS error while saving `path`."""
    if isinstance(exc, PermissionError):
        return UserError(
            f"文件被占用或无写入权限：{path}，请关闭正在使用它的 Excel、Word 或 WPS 后重试"
        )
    if isinstance(exc, FileNotFoundError):
        return UserError(f"保存位置不存在：{path.parent}")
    if exc.errno == errno.ENOSPC:
        return UserError(f"磁盘空间不足，无法保存：{path}")
    return UserError(f"无法保存文件：{path}（{exc.strerror or exc}）")


def _current_umask() -> int:
    # There is no way to read the umask without setting it; the window is a few instructions.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def final_mode(path: Path) -> int:
    """Permissions for the file that will replace `path`.

    mkstemp creates 0600 files, which colleagues on a shared folder cannot open: use the
    existing target's mode when replacing, else what a plain open() would give (0666 & ~umask).
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    On any exception the temporary file is removed and the target is left untouched.
    """
    path = Path(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(exc, path) from exc
    os.close(fd)
    temp = Path(name)
    try:
        try:
            yield temp
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS):
                raise write_error(exc, path) from exc
            raise
        try:
            if os.name == "posix":
                os.chmod(temp, final_mode(path))
            os.replace(temp, path)
        except OSError as exc:
            raise write_error(exc, path) from exc
    finally:
        temp.unlink(missing_ok=True)
