"""Monitoring on the command line: the workbook (`export monitoring`, `import monitoring`).

Plain (configure, handler) pairs so the generic `import KIND FILE` / `export KIND ...`
dispatcher (transfer.py) registers them as kinds. The monitoring reports are kinds of the
`report` command (report.py), like every other report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.goals_io import add_allow_deletions_option
from app.cli.rules import add_rules_option, load_rules
from app.domain.errors import Problem

if TYPE_CHECKING:
    from app.storage.database import Database

WARNINGS_SHOWN = 50


def configure_export(parser: argparse.ArgumentParser) -> None:
    parser.description = "导出某轮绩效监控表（项目、指标两个工作表），供预算单位填写后导入。"
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--month", type=int, required=True, help="监控月份，如 6")
    parser.add_argument("--department", metavar="CODE", help="只导出该单位编码的项目（默认：全部）")
    parser.add_argument("--out", type=Path, required=True, help="保存的 .xlsx 文件")
    add_rules_option(parser)


def export_monitoring(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring.workbook import export_monitoring_workbook

    rules = load_rules(args, db)
    summary = export_monitoring_workbook(
        db, args.year, args.month, args.out, rules, department=args.department
    )
    print(
        f"已导出 {summary.year}年{summary.month}月绩效监控表：{summary.projects} 个项目、"
        f"{summary.indicators} 个指标 → {summary.path}"
    )
    return 0


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "导入预算单位填写的绩效监控表：先检查全部数据，有错误则列出位置且不导入任何数据。"
    )
    parser.add_argument("file", type=Path, help="由 export monitoring 导出并填写的 .xlsx 文件")
    add_allow_deletions_option(parser)
    add_rules_option(parser)


def import_monitoring(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring.workbook import import_monitoring_workbook

    rules = load_rules(args, db)
    summary = import_monitoring_workbook(db, args.file, rules, allow_deletions=args.allow_deletions)
    for loss in summary.losses:
        print(f"已清空 {loss}")
    if summary.changed_projects:
        print(
            f"已导入 {summary.year}年{summary.month}月绩效监控数据："
            f"更新 {summary.changed_projects} 个项目、{summary.changed_indicators} 个指标"
            f"（共读取 {summary.projects} 个项目）。"
        )
        if summary.backup is not None:
            print(f"导入前已备份数据库：{summary.backup}")
    else:
        print(f"文件与数据库中的数据一致（{summary.projects} 个项目），没有需要更新的内容。")
    _print_warnings(summary.warnings)
    return 0


def _print_warnings(warnings: tuple[Problem, ...]) -> None:
    if not warnings:
        return
    print(f"提示（{len(warnings)} 条，不影响导入）：", file=sys.stderr)
    for problem in warnings[:WARNINGS_SHOWN]:
        print(f"  {problem}", file=sys.stderr)
    if len(warnings) > WARNINGS_SHOWN:
        print(f"  …另有 {len(warnings) - WARNINGS_SHOWN} 条", file=sys.stderr)
