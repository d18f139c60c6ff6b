"""`rectification`: the 整改 ledger — generate from the year's findings, list, reply, export."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.errors import UserError
from app.domain.rectification import Status

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "rectification",
        help="整改台账：从监控红灯、自评不实、中差等级和重点评价生成整改事项，登记反馈，导出",
        description="整改台账：生成、列出、登记单位反馈、导出 Excel。逾期按当天日期判断。",
    )
    verbs = parser.add_subparsers(dest="rectification_verb", metavar="操作", required=True)
    gen = verbs.add_parser("generate", help="从本年度数据生成整改事项（已有的不重复）")
    listing = verbs.add_parser("list", help="列出整改事项（逾期标出）")
    listing.add_argument("--overdue", action="store_true", help="只列逾期事项")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    reply = verbs.add_parser("reply", help="登记单位反馈（--done 标记已整改）")
    reply.add_argument("--id", type=int, required=True, help="整改事项编号（list 的第一列）")
    reply.add_argument("--reply", required=True, help="单位整改情况反馈")
    reply.add_argument("--done", action="store_true", help="标记为已整改")
    export = verbs.add_parser("export", help="导出整改台账（.xlsx）")
    export.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")
    for p in (gen, listing, reply, export):
        p.add_argument("--year", type=int, required=True, help="年度，如 2025")
        p.add_argument("--today", type=date.fromisoformat, default=None, help="按此日期判断逾期")
    add_rules_option(gen)
    for p in (listing, export):
        p.set_defaults(writes=False)  # only reads: no writer lock, no day's backup
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.rectification import ItemEdit, generate_items, ledger, update_item
    from app.services.rectification.workbook import export_ledger

    today = args.today or date.today()
    verb = args.rectification_verb
    if verb == "generate":
        result = generate_items(db, args.year, load_rules(args, db), today)
        parts = "，".join(f"{k}{v}项" for k, v in result.by_source.items())
        print(f"新增整改事项 {result.added} 项（{parts}）；已在台账 {result.already} 项。")
    elif verb == "list":
        book = ledger(db, args.year, today)
        rows = [r for r in book.rows if r.overdue or not args.overdue]
        if args.json:
            print_json(rows)
            return 0
        print("编号\t单位\t来源\t对象\t期限\t状态")
        for r in rows:
            print(f"{r.id}\t{r.department}\t{r.source}\t{r.subject}\t{r.deadline}\t{r.status}")
        counts = "，".join(f"{k}{v}项" for k, v in book.counts.items())
        print(f"共 {len(book.rows)} 项：{counts}。")
    elif verb == "reply":
        found = next((r for r in ledger(db, args.year, today).rows if r.id == args.id), None)
        if found is None:
            raise UserError(f"{args.year}年整改台账中没有编号为 {args.id} 的事项。")
        status = Status.DONE if args.done else Status.IN_PROGRESS
        edit = ItemEdit(found.action, found.deadline, status, args.reply)
        row = update_item(db, args.id, edit, today)
        print(f"已登记：{row.subject}，状态“{row.status}”。")
    else:
        count = export_ledger(db, args.year, args.out, today)
        print(f"已导出整改台账 {count} 项：{args.out}")
    return 0
