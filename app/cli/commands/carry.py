"""`carry`: confirmed 结果应用 cuts into next year (调减), undo one, and the per-unit export
for the budget 股 and the county's 综合考核."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.rules import add_rules_option, load_rules
from app.domain.numbers import wan

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "carry",
        help="结果应用结转：把已确定的调减计入下年度项目金额，撤销，导出综合考核表",
        description="把本年度已确定的调减计入下年度同编码项目（下年度目标通过审核前可撤销）。",
    )
    verbs = parser.add_subparsers(dest="carry_verb", metavar="操作", required=True)
    apply = verbs.add_parser("apply", help="把已确定的调减计入下年度（可重复运行）")
    listing = verbs.add_parser("list", help="列出已计入下年度的调减")
    revert = verbs.add_parser("revert", help="撤销一项调减（list 的第一列为编号）")
    revert.add_argument("--id", type=int, required=True, help="调减编号")
    export = verbs.add_parser("export", help="导出各单位评价等级、调减和整改情况（.xlsx）")
    export.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")
    add_rules_option(export)
    for p in (apply, listing, revert, export):
        p.add_argument("--year", type=int, required=True, help="结果所属年度，如 2025")
    for p in (listing, export):
        p.set_defaults(writes=False)  # only reads: no writer lock, no day's backup
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.results.carry import carried_cuts, carry_cuts, revert_cut
    from app.services.results.unit_export import export_unit_results

    verb = args.carry_verb
    if verb == "apply":
        r = carry_cuts(db, args.year)
        print(
            f"计入{args.year + 1}年调减 {len(r.carried)} 项，未变 {r.unchanged} 项；"
            f"下年度尚无项目 {len(r.waiting)} 项；下年度目标已通过 {len(r.locked)} 项。"
        )
    elif verb == "list":
        print("编号\t项目编码\t项目名称\t调减前(万元)\t调减(万元)\t调减后(万元)\t可撤销")
        for c in carried_cuts(db, args.year):
            print(
                f"{c.id}\t{c.project_code}\t{c.project_name}\t{wan(c.before)}\t{wan(c.cut)}\t"
                f"{wan(c.after)}\t{'是' if c.reversible else '否'}"
            )
    elif verb == "revert":
        revert_cut(db, args.id)
        print(f"已撤销调减 {args.id}，下年度金额已恢复。")
    else:
        count = export_unit_results(db, args.year, args.out, load_rules(args, db), date.today())
        print(f"已导出 {count} 个单位的结果：{args.out}")
    return 0
