"""`rules export|import --year Y FILE`: share a year's rule set with another county as TOML."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="导出或导入某年度的规则集文件（TOML）")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="{export,import}")
    export = verbs.add_parser("export", help="把该年度的规则集写到文件")
    export.add_argument("--year", type=int, required=True, help="年度，如 2025")
    export.add_argument("file", type=Path, metavar="FILE", help="要写出的 .toml 文件")
    export.set_defaults(handler=handle_export, writes=False)  # writes a file, not the database
    imported = verbs.add_parser("import", help="用文件中的规则集作为该年度的规则集")
    imported.add_argument("--year", type=int, required=True, help="年度，如 2025")
    imported.add_argument("file", type=Path, metavar="FILE", help="规则集 .toml 文件")
    imported.set_defaults(handler=handle_import)


def handle_export(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.year_rules import export_rules_file

    path = export_rules_file(db, args.year, args.file)
    print(f"已导出 {args.year} 年度规则集：{path}")
    return 0


def handle_import(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.year_rules import import_rules_file

    rules = import_rules_file(db, args.year, args.file)
    print(f"{args.year} 年度规则集已改为“{rules.name}”（其他年度不变）")
    return 0
