"""The goals and library kinds of `import` / `export` (registered in transfer.KINDS).

    python -m app --db PATH import goals FILE.xlsx [--year Y] [--strict] [--allow-deletions]
    python -m app --db PATH export goals --year Y [--department CODE] [--blank] --out FILE.xlsx
    python -m app --db PATH import library FILE.xlsx
    python -m app --db PATH export library --out FILE.xlsx

A file with problems exits 2 with every problem (sheet, row, column) on stderr and
nothing saved. A file that would blank stored values or delete indicators is refused (exit
2, the list on stderr) unless --allow-deletions is given.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.rules import add_rules_option, load_rules

if TYPE_CHECKING:
    from app.services.goals.workbook import ImportResult
    from app.storage.database import Database

SHOWN_WARNINGS = 20


def goals_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.xlsx", help="绩效目标工作簿")
    parser.add_argument("--year", type=int, help="文件应属的年度（不填则按文件中的年度）")
    parser.add_argument(
        "--strict", action="store_true", help="阻止审核通过的问题也视为错误，不予导入"
    )
    add_allow_deletions_option(parser)
    add_rules_option(parser)
    parser.add_argument("--all-warnings", action="store_true", help="列出全部提示")


def add_allow_deletions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-deletions",
        action="store_true",
        help="允许导入删除已保存的指标或清空已保存的内容（不加时，有此类变化则不导入并列出清单）",
    )


def goals_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--department", metavar="CODE", help="只导出该单位（含其下属单位）")
    parser.add_argument("--blank", action="store_true", help="空白模板（只预填单位）")
    parser.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")


def import_goals_command(args: argparse.Namespace, db: Database) -> int:
    from app.services.goals.workbook import import_goals

    rules = load_rules(args, db)
    result = import_goals(
        db,
        args.file,
        rules,
        year=args.year,
        strict=args.strict,
        allow_deletions=args.allow_deletions,
    )
    print_import_result(result, args.all_warnings)
    return 0


def print_import_result(result: ImportResult, all_warnings: bool = False) -> None:
    print(result.describe())
    for title, items in (("新增", result.added), ("修改", result.changed)):
        if items:
            print(f"{title}：" + "、".join(o.code for o in items))
    for item in result.left_alone:
        print(f"未导入 {item.label}：{item.reason}")
    if result.departments_added:
        print("新建单位：" + "、".join(result.departments_added))
    for loss in result.losses:
        print(f"已删除或清空 {loss}")
    shown = result.warnings if all_warnings else result.warnings[:SHOWN_WARNINGS]
    for problem in shown:
        print(f"提示 {problem}")
    if len(shown) < len(result.warnings):
        print(f"……另有 {len(result.warnings) - len(shown)} 条提示（加 --all-warnings 查看）")
    if result.backup_path:
        print(f"导入前的数据已备份到：{result.backup_path}")


def export_goals_command(args: argparse.Namespace, db: Database) -> int:
    from app.services.goals.workbook import export_goals

    result = export_goals(db, args.out, args.year, args.department, blank=args.blank)
    what = "空白模板" if result.blank else f"项目 {result.projects} 个、指标 {result.indicators} 个"
    print(f"已导出 {result.year} 年度绩效目标工作簿（单位 {result.departments} 个，{what}）：")
    print(str(result.path))
    return 0


def library_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.xlsx", help="指标库工作簿")
    add_rules_option(parser)  # the 一级/二级 layout entries are checked against


def library_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")


def import_library_command(args: argparse.Namespace, db: Database) -> int:
    from app.services.library.workbook import import_library

    result = import_library(db, args.file, load_rules(args, db))
    print(result.describe())
    for problem in result.warnings:
        print(f"提示 {problem}")
    return 0


def export_library_command(args: argparse.Namespace, db: Database) -> int:
    from app.services.library.workbook import export_library

    count = export_library(db, args.out)
    print(f"已导出指标库（{count} 个指标）：{args.out}")
    return 0
