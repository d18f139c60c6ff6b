"""`backup list | create [--to FILE] | restore FILE`: the backup services, headless.

list and create only read the database, so they run beside a GUI that is writing it.
restore works on the file itself (it may be damaged and not open at all); the restore
service takes the writer lock, so it refuses while another program has the database open.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import print_json

if TYPE_CHECKING:
    from app.services.common.backups import BackupInfo
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backup", help="列出、创建或恢复数据库备份")
    actions = parser.add_subparsers(dest="backup_action", metavar="操作", required=True)

    listing = actions.add_parser("list", help="列出备份（时间、大小、各年度项目和目标数）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=handle_list, writes=False)

    create = actions.add_parser("create", help="立即创建一个手动备份（不会被自动清理）")
    create.add_argument("--to", type=Path, metavar="文件", help="备份到指定文件，而不是备份文件夹")
    create.add_argument("--json", action="store_true", help="以 JSON 输出")
    create.set_defaults(handler=handle_create, writes=False)

    restore = actions.add_parser("restore", help="用备份文件替换当前数据库（会先备份当前数据）")
    restore.add_argument("file", type=Path, metavar="备份文件")
    restore.add_argument("--json", action="store_true", help="以 JSON 输出")
    restore.set_defaults(handler=handle_restore, open_db=False)


def handle_list(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.backups import list_backups

    backups = list_backups(db)
    if args.json:
        print_json(backups)
        return 0
    if not backups:
        print("还没有备份。")
    for b in backups:
        print(_line(b))
    return 0


def handle_create(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.backups import backup_to_file, create_backup

    if args.to is not None:
        path = backup_to_file(db, args.to)
        if args.json:
            print_json({"path": path})
        else:
            print(f"已备份到：{path}")
        return 0
    info = create_backup(db)
    if args.json:
        print_json(info)
    else:
        print(f"已创建备份：{_line(info)}")
    return 0


def handle_restore(args: argparse.Namespace, db_path: Path | str) -> int:
    # Not opened first: the database being restored may be damaged beyond opening.
    from app.services.common.backups import restore_backup

    result = restore_backup(db_path, args.file)
    if args.json:
        print_json(result)
        return 0
    print(f"已从“{result.restored_from.name}”恢复数据库。")
    if result.safety_backup is not None:
        print(f"恢复前的数据已备份为：{result.safety_backup}")
    return 0


def _line(b: BackupInfo) -> str:
    when = b.created_at.strftime("%Y-%m-%d %H:%M:%S")
    size = f"{b.size_bytes / 1024 / 1024:.1f} MB"
    if b.problem:
        counts = f"无法读取：{b.problem}"
    else:
        counts = "；".join(f"{y.year}年 项目{y.projects}个 目标{y.goals}个" for y in b.years)
        counts = counts or "无年度数据"
    return f"{when}  {b.reason_label:<8}{size:>10}  {counts}  {b.path.name}"
