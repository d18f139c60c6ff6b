"""Opening a database in the GUI, with everything that can go wrong on the way.

- Normally: the writer lock and the checks (services.backups.open_for_writing); the day's
  backup right after the window's first paint (`back_up_today`, on the GUI thread, so
  before the user can finish any write).
- Another copy of the program is writing it: say who, offer 只读打开 or 退出/取消.
- The file is damaged or not a database, or it is missing or empty (0 bytes) while good
  backups lie beside it (never silently a new, empty county): offer the newest good backup
  (restored after the user chooses it; the damaged bytes are kept), another file, or quit.
- A database from a newer version, or another program's SQLite file: refused, named.
The result is an OpenedFile the main window holds until it closes (which releases the lock).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.domain.errors import UserError
from app.services.common import backups
from app.services.common.backups import (
    BackupInfo,
    DatabaseLocked,
    DatabaseMissing,
    OpenedDatabase,
    RestoreResult,
    find_newest_good_backup,
    open_backup,
    open_for_writing,
    restore_backup,
)
from app.storage.database import Database, ReadOnlyDatabaseError, check_file, open_database
from app.ui.widgets import choice
from app.ui.widgets.choice import Choice
from app.ui.widgets.messages import show_error, show_info

log = logging.getLogger(__name__)

DB_FILE_FILTER = "数据库文件 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"
READ_ONLY, RESTORE, OTHER_FILE, QUIT = "read_only", "restore", "other", "quit"


@dataclass
class OpenedFile:
    """The database a window shows, and the writer lock when it may write."""

    db: Database
    writer: OpenedDatabase | None = None  # holds the writer lock; None when read-only
    read_only_note: str = ""  # what the window's banner says when read-only
    warnings: list[str] = field(default_factory=list)  # shown once the window is up
    infos: list[tuple[str, str]] = field(default_factory=list)  # (title, text)
    backup_due: bool = False  # the day's backup is still to be made (back_up_today)

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def close(self) -> None:
        """Close the database and release the writer lock (idempotent)."""
        if self.writer is not None:
            self.writer.close()
        self.db.close()


def open_interactively(
    parent: QWidget | None, path: Path, quit_label: str = "退出"
) -> OpenedFile | None:
    """Open `path` for the GUI, asking the user when needed; None when they gave up."""
    while True:
        try:
            return _writable(open_for_writing(path, daily=False))
        except DatabaseLocked as exc:
            return _offer_read_only(parent, path, exc, quit_label)
        except UserError as exc:
            # A missing or 0-byte file with backups beside it is lost data, not a new county.
            if not (isinstance(exc, DatabaseMissing) or _is_damaged(path)):
                show_error(parent, exc)  # newer version, another program's file, no access…
                return None
            next_path = _offer_recovery(parent, path, exc, quit_label)
            if next_path is None:
                return None
            path = next_path


def open_server(url: str) -> OpenedFile:
    """A database on the bureau's server (连接服务器): no writer lock, seats share it."""
    return _writable(open_for_writing(url, daily=False))


def back_up_today(opened: OpenedFile) -> bool:
    """The day's backup deferred from opening (True when a file was written); a failure
    becomes a warning to show."""
    if not opened.backup_due:
        return False
    opened.backup_due = False
    try:
        return backups.ensure_daily_backup(opened.db) is not None
    except UserError as exc:
        log.warning("daily backup failed: %s", exc.message)
        opened.warnings.append(
            f"今天的自动备份没有完成：{exc.message}\n可以继续工作，但请尽快处理。"
        )
        return False


def open_backup_file(path: Path) -> OpenedFile:
    """A backup opened to look at: read-only, so looking never changes it."""
    return OpenedFile(
        open_backup(path),
        read_only_note=f"正在查看备份文件“{path.name}”（只读）。这里不能修改；"
        "如要用它替换当前数据，请在“设置 → 备份”中选择“从备份恢复”。",
    )


def restore_in_place(opened: OpenedFile, backup_path: Path) -> RestoreResult:
    """Replace the open database by a backup (keeping the writer lock if held), reopen it."""
    if opened.read_only:
        raise ReadOnlyDatabaseError("数据库以只读方式打开，不能从备份恢复。")
    path = opened.db.target
    opened.db.close()  # the restore refuses a file still open here
    try:
        return restore_backup(path, backup_path)
    finally:
        opened.db = open_database(path)
        if opened.writer is not None:
            opened.writer.db = opened.db


def restored_message(result: RestoreResult) -> str:
    text = f"已用备份“{result.restored_from.name}”恢复数据库。"
    if result.safety_backup is not None:
        text += f"\n恢复前的数据已另存为备份：{result.safety_backup.name}"
    return text


def choose_database_file(parent: QWidget | None, folder: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "打开数据库", str(folder), DB_FILE_FILTER)
    return Path(name) if name else None


# -- the three situations ---------------------------------------------------------------------
def _writable(opened: OpenedDatabase) -> OpenedFile:
    result = OpenedFile(opened.db, opened, backup_due=True)
    if opened.recovered_from is not None:
        result.infos.append(
            (
                "上次未正常退出",
                f"上次未正常退出：{opened.recovered_from.describe()}打开本数据库后，"
                "程序没有正常关闭（可能是断电或程序崩溃）。\n"
                "打开时已检查数据库完整性，未发现问题，可以继续工作。",
            )
        )
    return result


def locked_text(exc: DatabaseLocked) -> tuple[str, str]:
    """The question's main text and its details: who, on which computer, since when."""
    name = exc.db_path.name
    holder = exc.holder
    if holder is None:
        return f"数据库“{name}”现在不能修改。", exc.message
    since = holder.started_at.strftime("%Y-%m-%d %H:%M") if holder.started_at else "未知"
    details = (
        f"使用者：{holder.user}\n计算机：{holder.host}\n打开时间：{since}\n\n"
        "同一时间只能有一处修改数据。可以以只读方式打开（只能查看，不能保存）。"
    )
    return f"数据库“{name}”正在被另一处修改。", details


def locked_box(parent: QWidget | None, exc: DatabaseLocked, quit_label: str) -> QMessageBox:
    """The question asked when another copy is writing the database."""
    text, details = locked_text(exc)
    choices = [
        Choice(READ_ONLY, "只读打开"),
        Choice(QUIT, quit_label, QMessageBox.ButtonRole.RejectRole),
    ]
    return choice.build_box(
        parent,
        "数据库正在被使用",
        text,
        choices,
        icon=QMessageBox.Icon.Warning,
        informative=details,
        default=READ_ONLY,
        escape=QUIT,
    )


def _offer_read_only(
    parent: QWidget | None, path: Path, exc: DatabaseLocked, quit_label: str
) -> OpenedFile | None:
    if choice.answer(locked_box(parent, exc, quit_label)) != READ_ONLY:
        return None
    try:
        db = open_database(path, read_only=True)
    except UserError as error:
        show_error(parent, error)
        return None
    who = f"{exc.holder.describe()}打开了这个数据库" if exc.holder else "无法取得修改权限"
    note = f"只读：{who}。现在只能查看，不能保存修改；如需修改，请等对方关闭程序后重新打开。"
    return OpenedFile(db, None, note)


def _is_damaged(path: Path) -> bool:
    """Damaged or not a database at all (as opposed to newer, foreign or inaccessible)."""
    path = path.expanduser().resolve()
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        check_file(path)
    except UserError:
        return True
    return False


def _offer_recovery(
    parent: QWidget | None, path: Path, exc: UserError, quit_label: str
) -> Path | None:
    """Ask what to do with a damaged file; the path to try next, or None to give up."""
    backup = find_newest_good_backup(path)
    answer = choice.ask(
        parent,
        "数据库文件无法打开",
        exc.message,
        _recovery_choices(backup, quit_label),
        icon=QMessageBox.Icon.Critical,
        informative=_recovery_details(backup),
        default=RESTORE if backup else OTHER_FILE,
        escape=QUIT,
    )
    if answer == RESTORE and backup is not None:
        try:
            result = restore_backup(path, backup.path)
        except UserError as error:
            show_error(parent, error)
            return None
        show_info(parent, "已从备份恢复", restored_message(result))
        return path
    if answer == OTHER_FILE:
        return choose_database_file(parent, path.parent)
    return None


def _recovery_choices(backup: BackupInfo | None, quit_label: str) -> list[Choice]:
    choices = [Choice(RESTORE, "从备份恢复")] if backup is not None else []
    return [
        *choices,
        Choice(OTHER_FILE, "打开其他文件…"),
        Choice(QUIT, quit_label, QMessageBox.ButtonRole.RejectRole),
    ]


def _recovery_details(backup: BackupInfo | None) -> str:
    if backup is None:
        return "没有找到可用的备份。可以打开其他数据库文件。"
    counts = "；".join(f"{y.year} 年项目 {y.projects} 个" for y in backup.years) or "无年度数据"
    return (
        f"找到最近的完好备份：{_when(backup)}（{backup.reason_label}，{counts}）。\n"
        "恢复后，该备份之后所做的修改将丢失；损坏的文件会另存一份，不会删除。"
    )


def _when(backup: BackupInfo) -> str:
    return backup.created_at.strftime("%Y-%m-%d %H:%M")
