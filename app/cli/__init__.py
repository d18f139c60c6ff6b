"""Command line: the same services the GUI calls, headless.

Exit codes: 0 ok, 2 user error (Chinese message on stderr), 1 unexpected.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.cli.commands import COMMANDS
from app.domain.errors import UserError
from app.storage.database import open_database

log = logging.getLogger(__name__)

EXIT_OK, EXIT_UNEXPECTED, EXIT_USER_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"命令行参数错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="县级财政预算绩效管理")
    parser.add_argument("--db", type=Path, help="数据库文件路径（默认：用户数据目录中的数据库）")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for module in COMMANDS:
        module.register(sub)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed sub-command against the database named by --db."""
    if args.db is None:
        print("请用 --db 指定数据库文件。", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        db = open_database(args.db)
        try:
            return int(args.handler(args, db) or EXIT_OK)
        finally:
            db.close()
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
