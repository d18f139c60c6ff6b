"""`import KIND FILE` / `export KIND ...`: one dispatcher for every workbook kind.

Each kind supplies four plain functions (configure and run, for import and export); the
KINDS table is the only place a kind is registered.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from app.cli.commands import monitoring_io, selfeval_io
from app.storage.database import Database

Configure = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace, Database], int]


@dataclass(frozen=True)
class TransferKind:
    label: str  # what the file is, in Chinese
    configure_import: Configure | None = None
    run_import: Handler | None = None
    configure_export: Configure | None = None
    run_export: Handler | None = None


KINDS: dict[str, TransferKind] = {
    "monitoring": TransferKind(
        "绩效监控表（项目、指标）",
        monitoring_io.configure_import,
        monitoring_io.import_monitoring,
        monitoring_io.configure_export,
        monitoring_io.export_monitoring,
    ),
    "selfeval": TransferKind(
        selfeval_io.LABEL,
        selfeval_io.configure_import,
        selfeval_io.import_selfeval,
        selfeval_io.configure_export,
        selfeval_io.export_selfeval,
    ),
}


def register(sub: argparse._SubParsersAction) -> None:
    importer = sub.add_parser("import", help="从 Excel 文件导入（全部检查通过才保存）")
    kinds = importer.add_subparsers(dest="kind", metavar="类型", required=True)
    for name, kind in KINDS.items():
        if kind.configure_import and kind.run_import:
            parser = kinds.add_parser(name, help=f"导入{kind.label}")
            kind.configure_import(parser)
            parser.set_defaults(handler=kind.run_import)
    exporter = sub.add_parser("export", help="导出 Excel 文件")
    kinds = exporter.add_subparsers(dest="kind", metavar="类型", required=True)
    for name, kind in KINDS.items():
        if kind.configure_export and kind.run_export:
            parser = kinds.add_parser(name, help=f"导出{kind.label}")
            kind.configure_export(parser)
            parser.set_defaults(handler=kind.run_export)
