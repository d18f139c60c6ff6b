"""`import selfeval FILE.xlsx` and `export selfeval --year Y [--department CODE] --out F`.

Plain functions registered by the generic import/export dispatcher (transfer.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.goals_io import add_allow_deletions_option
from app.cli.output import print_json

if TYPE_CHECKING:
    from app.storage.database import Database

LABEL = "绩效自评表"
SHOWN_WARNINGS = 20


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "导入单位填报的绩效自评表（工作表“项目”和“指标”）。先检查整个文件，"
        "有任何错误则不导入并列出全部问题；导入前自动备份数据库。"
    )
    parser.add_argument("file", type=Path, metavar="FILE.xlsx", help="绩效自评表文件")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出导入结果")
    add_allow_deletions_option(parser)


def import_selfeval(args: argparse.Namespace, db: Database) -> int:
    from app.services.evaluation.workbook import import_selfeval as import_workbook

    result = import_workbook(db, args.file, allow_deletions=args.allow_deletions)
    if args.json:
        print_json(
            {
                "file": result.file_name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "indicators": result.indicators,
                "mismatches": result.mismatches,
                "warnings": [str(w) for w in result.warnings],
                "losses": list(result.losses),
                "backup": str(result.backup) if result.backup else None,
            }
        )
        return 0
    print(
        f"已导入“{result.file_name}”：新增自评 {result.created} 份，更新 {result.updated} 份，"
        f"未变化 {result.unchanged} 份，指标 {result.indicators} 行。"
    )
    if result.mismatches:
        print(
            f"有 {result.mismatches} 个指标的年度指标值或分值与批复的绩效目标不一致，"
            "已按自评表记录，计分时将标出。"
        )
    if result.warnings:
        print(f"提醒 {len(result.warnings)} 条：")
        for warning in result.warnings[:SHOWN_WARNINGS]:
            print(f"  {warning}")
        if len(result.warnings) > SHOWN_WARNINGS:
            print(f"  ……另有 {len(result.warnings) - SHOWN_WARNINGS} 条（用 --json 查看全部）")
    for loss in result.losses:
        print(f"已清空 {loss}")
    if result.backup:
        print(f"导入前的备份：{result.backup}")
    return 0


def configure_export(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "按已批复的绩效目标导出绩效自评表，供单位填写实际完成值、自评得分和偏差原因。"
    )
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument(
        "--department", metavar="CODE", help="只导出该单位（主管部门含所属单位）的项目"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="输出文件")


def export_selfeval(args: argparse.Namespace, db: Database) -> int:
    from app.services.evaluation.workbook import export_selfeval as export_workbook

    result = export_workbook(db, args.year, args.out, department=args.department)
    print(f"已导出 {result.projects} 个项目、{result.indicators} 个指标到 {result.path}")
    if result.without_goal:
        print(f"另有 {result.without_goal} 个项目的绩效目标尚未批复，未导出。")
    return 0
