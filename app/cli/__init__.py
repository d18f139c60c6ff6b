"""Command line: the same services the GUI calls, headless.

Exit codes: 0 ok, 2 user error (Chinese message on stderr), 1 unexpected.

A command's handler gets the opened database. Commands write unless they say otherwise
(`set_defaults(writes=False)`): a writing command takes the writer lock (and makes the
day's backup) through open_for_writing, so it never writes beside a running GUI. A command
that must run on a file that does not open (restoring a damaged database) says
`set_defaults(open_db=False)` and gets the path instead.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from app.cli import chinese
from app.cli.commands import modules_for
from app.domain.errors import UserError
from app.services.common.backups import DatabaseLocked, open_for_writing, refuse_if_lost
from app.services.setup import operator
from app.storage.database import Database, database_target, name_seat, open_database

log = logging.getLogger(__name__)

EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR = 0, 1, 2
# Commands that only read, so they may run while the GUI holds the writer lock.
# They open the file read-only: not a byte of it changes (no schema, no audit row).
READ_ONLY_COMMANDS = ("info", "lamps", "score", "report")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"命令行参数错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (given the arguments) of the one they run."""
    chinese.install()  # before the parsers are made: their section titles are set then
    parser = _Parser(prog="python -m app", description="县级财政预算绩效管理")
    parser.add_argument(
        "--db",
        type=database_target,
        metavar="文件或地址",
        help="数据库文件路径，或服务器地址 postgresql+psycopg://用户:密码@主机:端口/库名",
    )
    parser.add_argument(
        "--operator",
        default="",
        metavar="姓名",
        help="本席位的操作人员姓名（记入审核记录和操作日志；未指定时取环境变量 BPM_OPERATOR）",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for module in modules_for(argv):
        module.register(sub)
    for name in READ_ONLY_COMMANDS:
        if name in sub.choices:
            sub.choices[name].set_defaults(writes=False)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed sub-command against the database named by --db."""
    if args.db is None:
        print("请用 --db 指定数据库文件。", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        chosen = getattr(args, "operator", "") or os.environ.get(operator.ENVIRONMENT, "")
        name_seat(operator.choose(chosen))
        if not getattr(args, "open_db", True):
            return int(args.handler(args, args.db) or EXIT_OK)
        with _opened(args.db, writes=getattr(args, "writes", True)) as db:
            return int(args.handler(args, db) or EXIT_OK)
    except DatabaseLocked as exc:
        print(locked_message(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        raise  # the reader went away (`| head`): app/__main__.py ends quietly
    except Exception:
        log.exception("命令 %s 意外失败", args.command)
        print("程序内部错误，详情已写入日志。", file=sys.stderr)
        return EXIT_UNEXPECTED


@contextmanager
def _opened(path: Path | str, writes: bool) -> Iterator[Database]:
    if not writes:
        refuse_if_lost(path)
        db = open_database(path, read_only=True)
        try:
            yield db
        finally:
            db.close()
        return
    opened = open_for_writing(path)
    try:
        if opened.backup_warning:
            print(f"警告：今天的自动备份没有完成：{opened.backup_warning}", file=sys.stderr)
        yield opened.db
    finally:
        opened.close()


def locked_message(exc: DatabaseLocked) -> str:
    """Who holds the database, in words for the command line (no 只读 button here)."""
    if exc.holder is None:
        return exc.message
    return (
        f"数据库“{exc.db_path.name}”正在被修改：{exc.holder.describe()}打开了它"
        f"（进程 {exc.holder.pid}）。同一时间只能有一处修改数据，请在对方关闭程序后重试。"
    )
