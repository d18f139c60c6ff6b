"""`import forms FILE_OR_FOLDER... [--year Y] [--json]`: departments' printed forms.

Each file is imported on its own (all of it or nothing); the exit status is 1 when any
file was refused, so a script notices, while the other files still land.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules

if TYPE_CHECKING:
    from app.storage.database import Database

LABEL = "纸质表样（项目/部门整体支出绩效目标申报表、绩效自评表；.xlsx/.xls/.docx）"
SHOWN_PROBLEMS = 10


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "导入各单位按全国表样填报的项目支出、部门整体支出绩效目标申报表和绩效自评表"
        "（Excel .xlsx/.xls 或 Word 表格）。可给出多个文件或文件夹；每个文件单独检查，"
        "有错误的文件不导入任何内容，其他文件照常导入；同一文件重复导入不会改变数据。"
    )
    parser.add_argument("paths", type=Path, nargs="+", metavar="FILE_OR_FOLDER")
    parser.add_argument("--year", type=int, help="表头未写年度时使用的年度，如 2022")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出每个文件的结果")
    add_rules_option(parser)


def import_forms_command(args: argparse.Namespace, db: Database) -> int:
    from app.services.forms import REFUSED, import_forms

    reports = import_forms(db, args.paths, load_rules(args, db), year=args.year)
    refused = sum(r.status == REFUSED for r in reports)
    if args.json:
        print_json([r.as_json() for r in reports])
        return 1 if refused else 0
    for report in reports:
        print(f"{report.status}  {report.path}")
        for table in report.tables:
            new = "（新项目）" if table.new_project else ""
            print(
                f"    {table.kind}：{table.unit} {table.project}{new}，"
                f"指标 {table.rows} 行（{table.place}）"
            )
        for problem in report.problems[:SHOWN_PROBLEMS]:
            print(f"    {problem.describe()}")
        if len(report.problems) > SHOWN_PROBLEMS:
            print(f"    ……另有 {len(report.problems) - SHOWN_PROBLEMS} 条（用 --json 查看全部）")
    print(
        f"共 {len(reports)} 个文件，{len(reports) - refused} 个已导入或无变化，{refused} 个有问题。"
    )
    return 1 if refused else 0
