"""`monitoring list | open | close`: the year's monitoring rounds, scriptable.

A round closes only when every red or yellow lamp has its 偏差原因; otherwise the missing
ones are listed, each with its project, and nothing changes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules

if TYPE_CHECKING:
    from app.services.monitoring import RoundSummary
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("monitoring", help="绩效监控轮次：列出、开启、关闭")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出某年度的监控轮次")
    listing.add_argument("--year", type=int, required=True, help="年度，如 2025")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=handle_list, writes=False)
    for action, help_text in (
        ("open", "开启一轮监控（列出所有已通过绩效目标的项目，结转上一轮数据）"),
        ("close", "关闭一轮监控（红灯、黄灯须已填写偏差原因）"),
    ):
        child = actions.add_parser(action, help=help_text, description=help_text)
        child.add_argument("--year", type=int, required=True, help="年度，如 2025")
        child.add_argument("--month", type=int, required=True, help="监控月份，如 6")
        add_rules_option(child)
        child.add_argument("--json", action="store_true", help="以 JSON 输出")
        child.set_defaults(handler=handle_open if action == "open" else handle_close)


def handle_list(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring import list_rounds

    rounds = list_rounds(db, args.year)
    if args.json:
        print_json(rounds)
        return 0
    for r in rounds:
        print(f"{r.year}年{r.month}月\t{r.status_label}\t{r.project_count} 个项目")
    if not rounds:
        print(f"{args.year}年尚未开启监控。")
    return 0


def handle_open(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring import open_round

    summary = open_round(db, args.year, args.month, load_rules(args, db))
    carried = f"，从 {summary.carried_from_month} 月结转" if summary.carried_from_month else ""
    return _done(
        args,
        summary,
        f"已开启 {summary.year}年{summary.month}月监控：{summary.project_count} 个项目{carried}。",
    )


def handle_close(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring import close_round

    summary = close_round(db, args.year, args.month, load_rules(args, db))
    return _done(
        args,
        summary,
        f"已关闭 {summary.year}年{summary.month}月监控（{summary.project_count} 个项目）。",
    )


def _done(args: argparse.Namespace, summary: RoundSummary, text: str) -> int:
    if args.json:
        print_json(summary)
    else:
        print(text)
    return 0
