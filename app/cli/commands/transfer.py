"""`import KIND FILE` and `export KIND ...`: one sub-command each, one entry per kind.

Each kind contributes (configure(parser), handler(args, db)); adding a kind is one line in
each dict.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.cli.commands import monitoring_io
from app.storage.database import Database

Configure = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace, Database], int]

IMPORT_KINDS: dict[str, tuple[Configure, Handler]] = {
    "monitoring": (monitoring_io.configure_import, monitoring_io.import_monitoring),
}
EXPORT_KINDS: dict[str, tuple[Configure, Handler]] = {
    "monitoring": (monitoring_io.configure_export, monitoring_io.export_monitoring),
}
KIND_HELP = {"monitoring": "绩效监控表（项目、指标）"}


def register(sub: argparse._SubParsersAction) -> None:
    _register(sub, "import", "从 Excel 文件导入数据（先全部检查，有错误则不导入）", IMPORT_KINDS)
    _register(sub, "export", "导出 Excel 文件", EXPORT_KINDS)


def _register(
    sub: argparse._SubParsersAction,
    name: str,
    help_text: str,
    kinds: dict[str, tuple[Configure, Handler]],
) -> None:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    kind_sub = parser.add_subparsers(dest="kind", metavar="类型", required=True)
    for kind, (configure, handler) in kinds.items():
        kind_parser = kind_sub.add_parser(kind, help=KIND_HELP.get(kind, kind))
        configure(kind_parser)
        kind_parser.set_defaults(handler=handler)
