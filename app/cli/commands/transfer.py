"""`import KIND FILE` and `export KIND ...`: moving data in and out as Excel workbooks.

Each kind (goals, library, monitoring, selfeval) is one entry of KINDS: it adds
its own arguments to its `import` and `export` sub-parsers and handles them. A new kind is
one module with a TransferKind and one line here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from app.cli.commands import forms_io, goals_io, monitoring_io, selfeval_io
from app.storage.database import Database

Handler = Callable[[argparse.Namespace, Database], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class TransferKind:
    label: str  # what the kind holds, in Chinese, for --help
    import_arguments: Arguments
    run_import: Handler
    export_arguments: Arguments
    run_export: Handler


KINDS: dict[str, TransferKind] = {
    "goals": TransferKind(
        "绩效目标工作簿（单位、项目、指标、部门整体目标）",
        goals_io.goals_import_arguments,
        goals_io.import_goals_command,
        goals_io.goals_export_arguments,
        goals_io.export_goals_command,
    ),
    "library": TransferKind(
        "指标库工作簿",
        goals_io.library_import_arguments,
        goals_io.import_library_command,
        goals_io.library_export_arguments,
        goals_io.export_library_command,
    ),
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
    importer = sub.add_parser(
        "import", help="从 Excel 工作簿导入（先检查全部内容，有错误则不导入任何数据）"
    )
    exporter = sub.add_parser("export", help="导出 Excel 工作簿（空白模板或现有数据）")
    for parser, action in ((importer, "导入"), (exporter, "导出")):
        kinds = parser.add_subparsers(
            dest="kind", metavar="类型", required=True, parser_class=type(parser)
        )
        for name, kind in KINDS.items():
            child = kinds.add_parser(name, help=f"{action}{kind.label}")
            if action == "导入":
                kind.import_arguments(child)
                child.set_defaults(handler=kind.run_import)
            else:
                kind.export_arguments(child)
                child.set_defaults(handler=kind.run_export, writes=False)  # only reads
        if action == "导入":  # printed forms come in only: the app never writes them
            child = kinds.add_parser("forms", help=f"导入{forms_io.LABEL}")
            forms_io.configure_import(child)
            child.set_defaults(handler=forms_io.import_forms_command)
