"""`init` (the first set-up of a new database) and `units import FILE.xlsx`: the same
services as the set-up wizard and 设置 → 基础信息."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser("init", help="建立本县数据库：县（区）名称、财政局名称、第一个年度")
    init.add_argument("--county", required=True, help="县（区）名称，例如：青山县")
    init.add_argument("--bureau", default="", help="财政局名称（默认：县名加“财政局”）")
    init.add_argument("--year", type=int, required=True, help="第一个预算年度，例如：2026")
    init.add_argument(
        "--sections", default="", help="股室名称，用顿号或逗号分隔，例如：预算股、教科文股"
    )
    init.set_defaults(handler=handle_init)
    units = sub.add_parser("units", help="预算单位")
    verbs = units.add_subparsers(dest="units_command", metavar="操作", required=True)
    load = verbs.add_parser("import", help="从绩效目标工作簿（或空白模板）的“单位”工作表导入单位")
    load.add_argument("file", type=Path, metavar="FILE.xlsx", help="Excel 文件")
    load.set_defaults(handler=handle_import)


def handle_init(args: argparse.Namespace, db: Database) -> int:
    from app.services.setup.initial import CountySetup, set_up_county

    names = args.sections.replace("，", ",").replace("、", ",").split(",")
    setup = CountySetup(args.county, args.bureau, args.year, [n for n in names if n.strip()])
    set_up_county(db, setup)
    print(f"已建立“{' '.join(args.county.split())}”的数据库：{args.year} 年度，股室 "
          f"{len([n for n in names if n.strip()])} 个。可用“units import”导入单位。")  # fmt: skip
    return 0


def handle_import(args: argparse.Namespace, db: Database) -> int:
    from app.services.setup.units import import_units

    result = import_units(db, args.file.expanduser())
    print(f"已导入单位 {len(result.added)} 个，新建股室 {len(result.new_sections)} 个。")
    if result.skipped:
        print(f"系统中已有、未改动的单位 {len(result.skipped)} 个：" + "、".join(result.skipped))
    return 0
