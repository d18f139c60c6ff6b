"""One writer at a time: an OS-level exclusive lock on `<database>.lock`.

The lock is held for the app's lifetime. The OS drops it when the process dies, however it
dies, so a lock file whose OS lock is free is a leftover of a crash (stale), and the next
instance simply takes it. The file also holds JSON {pid, host, user, started_at} so a second
instance can say who has the database open. Works on a shared folder too: flock over
SMB/NFS on POSIX clients, byte-range locks (msvcrt.locking) over SMB on Windows.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.errors import UserError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
# Windows byte-range locks stop other processes reading the locked bytes, so lock one byte
# far past the JSON (locking beyond the end of a file is allowed) and keep the JSON readable.
_WINDOWS_LOCK_OFFSET = 1 << 30
_ATTEMPTS = 5

_held: dict[Path, WriterLock] = {}  # locks this process holds, by lock file path


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    user: str
    started_at: datetime | None

    def describe(self) -> str:
        when = self.started_at.strftime("%Y-%m-%d %H:%M") if self.started_at else "未知时间"
        return f"{self.user}（计算机 {self.host}）于 {when}"


class DatabaseLocked(UserError):
    """Another instance is writing this database; carries who, where and since when."""

    def __init__(self, db_path: Path, holder: LockHolder | None, message: str = "") -> None:
        who = holder.describe() + "打开了它" if holder else "另一个程序窗口正在使用它"
        super().__init__(
            message
            or f"数据库“{db_path.name}”正在被修改：{who}。同一时间只能有一处修改数据。"
            "可以以只读方式打开（只能查看），或退出。"
        )
        self.db_path = db_path
        self.holder = holder


class WriterLock:
    """The right to write one database. Release it on exit (a crash releases it too)."""

    def __init__(self, db_path: Path, fd: int, me: LockHolder, stale: LockHolder | None):
        self.db_path = db_path
        self.lock_path = lock_path_for(db_path)
        self.holder = me
        # The previous holder, when its session ended without releasing (a crash).
        self.recovered_from = stale
        self._fd: int | None = fd

    @property
    def active(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _held.pop(self.lock_path, None)
        # Empty the file first: an empty lock file means "closed cleanly", not a crash.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        if os.name == "nt":
            _unlock(fd)
            os.close(fd)
            with contextlib.suppress(OSError):  # another instance may have it open already
                self.lock_path.unlink()
        else:
            # Unlink while still locked; a waiter on the old inode notices (see _same_file).
            with contextlib.suppress(OSError):
                self.lock_path.unlink()
            _unlock(fd)
            os.close(fd)

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_path_for(db_path: Path) -> Path:
    db_path = db_path.expanduser().resolve()
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def acquire_writer_lock(db_path: Path) -> WriterLock:
    """Take the writer lock or raise DatabaseLocked naming the holder."""
    lock_path = lock_path_for(db_path)
    if lock_path in _held:
        raise DatabaseLocked(db_path, _held[lock_path].holder)
    broken: LockHolder | None = None
    for attempt in range(_ATTEMPTS):
        fd = _open_lock_file(db_path, lock_path)
        if _try_lock(fd):
            if not _same_file(fd, lock_path):  # released and unlinked while we waited
                _unlock(fd)
                os.close(fd)
                continue
            return _take(db_path, lock_path, fd, broken)
        os.close(fd)
        holder = read_lock_holder(db_path)
        if holder is None or not _is_dead_local_process(holder):
            raise DatabaseLocked(db_path, holder)
        broken = holder
        # The OS lock is held but its recorded owner is dead on this PC: a child process
        # that inherited the handle, or Windows not yet releasing it. Break it.
        _break_stale(lock_path, attempt)
    raise DatabaseLocked(db_path, read_lock_holder(db_path))


@contextlib.contextmanager
def writer_lock(db_path: Path) -> Iterator[WriterLock]:
    """Hold the writer lock for a block; reuses the lock if this process already holds it."""
    existing = _held.get(lock_path_for(db_path))
    if existing is not None:
        yield existing
        return
    lock = acquire_writer_lock(db_path)
    try:
        yield lock
    finally:
        lock.release()


def read_lock_holder(db_path: Path) -> LockHolder | None:
    """Who the lock file says holds the database (None if empty, missing or unreadable)."""
    lock_path = lock_path_for(db_path)
    if lock_path in _held:
        # Never open our own lock file: on NFS, flock is emulated with POSIX locks and
        # closing any handle to the file would silently drop the lock.
        return _held[lock_path].holder
    try:
        return _parse(lock_path.read_bytes())
    except OSError:
        return None


def _open_lock_file(db_path: Path, lock_path: Path) -> int:
    try:
        return os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:  # a read-only (shared) folder: nobody here may write anyway
        raise DatabaseLocked(
            db_path,
            None,
            f"无法在“{lock_path.parent}”中创建锁文件（{exc.strerror}），可能没有写入权限。"
            "可以以只读方式打开（只能查看），或退出。",
        ) from exc


def _take(db_path: Path, lock_path: Path, fd: int, broken: LockHolder | None) -> WriterLock:
    stale = _parse(_read_all(fd)) or broken
    me = LockHolder(os.getpid(), socket.gethostname(), os_user(), datetime.now())
    payload = json.dumps(
        {
            "pid": me.pid,
            "host": me.host,
            "user": me.user,
            "started_at": me.started_at.isoformat(timespec="seconds") if me.started_at else "",
        },
        ensure_ascii=False,
    ).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, payload)
    os.fsync(fd)
    lock = WriterLock(db_path.expanduser().resolve(), fd, me, stale)
    _held[lock_path] = lock
    return lock


def _parse(raw: bytes) -> LockHolder | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        started = data.get("started_at") or None
        return LockHolder(
            pid=int(data["pid"]),
            host=str(data.get("host", "")),
            user=str(data.get("user", "")),
            started_at=datetime.fromisoformat(started) if started else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # empty (closed cleanly) or half-written


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _is_dead_local_process(holder: LockHolder) -> bool:
    return holder.host == socket.gethostname() and not _pid_alive(holder.pid)


def _break_stale(lock_path: Path, attempt: int) -> None:
    if os.name == "nt":
        time.sleep(0.2 * (attempt + 1))  # Windows releases a dead process's locks lazily
    else:
        with contextlib.suppress(OSError):  # a new inode: the old lock no longer matters
            lock_path.unlink()


def _same_file(fd: int, path: Path) -> bool:
    if os.name == "nt":
        return True  # an open file cannot be deleted on Windows
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    if sys.platform != "win32":  # keeps the type checker on the platform it checks
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(ctypes.get_last_error() == 5)  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知用户"
