"""`info`: counts per table and per year."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.output import print_json

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("info", help="显示数据库中各表和各年度的记录数")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.info import database_info

    info = database_info(db)
    if args.json:
        print_json(info)
        return 0
    print(f"数据库：{info.path}")
    print(f"结构版本：{info.schema_revision}")
    print("各表记录数：")
    for name, count in info.tables.items():
        print(f"  {name:<28}{count:>10}")
    for y in info.years:
        print(
            f"{y.year}年：项目 {y.projects} 个，项目绩效目标 {y.project_goals} 个，"
            f"部门整体绩效目标 {y.department_goals} 个，指标 {y.indicators} 个，"
            f"监控轮次 {y.monitoring_rounds} 个（{y.monitoring_entries} 条），"
            f"自评 {y.self_evaluations} 份"
        )
    return 0
