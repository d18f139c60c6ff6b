"""`results list | propose | confirm`: 结果应用 (next year's budget adjustments), scriptable.

`confirm` accepts the proposals as they stand (the named projects', or with --all every
undecided one); `--cut 万元 --reason` decides one project's cut differently.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.errors import UserError
from app.domain.money import YUAN_PER_WAN, parse_decimal
from app.domain.numbers import wan

if TYPE_CHECKING:
    from app.services.results.records import AdjustmentRow
    from app.storage.database import Database


def _wan(text: str) -> Decimal:
    try:
        return parse_decimal(text) * YUAN_PER_WAN
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字（单位：万元）") from exc


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("results", help="结果应用：生成下年度预算调整建议、确定调减数")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出某年度的结果应用建议和已确定的调减数")
    listing.add_argument("--year", type=int, required=True, help="年度，如 2025")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=handle_list, writes=False)
    propose = actions.add_parser("propose", help="按自评、复核、监控和事前评估生成调整建议")
    propose.add_argument("--year", type=int, required=True, help="年度，如 2025")
    add_rules_option(propose)
    propose.set_defaults(handler=handle_propose)
    confirm = actions.add_parser("confirm", help="确定调减数（默认按建议数确定）")
    confirm.add_argument("--year", type=int, required=True, help="年度，如 2025")
    confirm.add_argument("codes", nargs="*", metavar="项目编码", help="一个或多个项目编码")
    confirm.add_argument("--all", action="store_true", help="按建议确定所有尚未确定的项目")
    confirm.add_argument("--cut", type=_wan, metavar="万元", help="改定的调减数（只限一个项目）")
    confirm.add_argument("--reason", default="", help="调减数与建议不同时须填写的理由")
    confirm.set_defaults(handler=handle_confirm)


def handle_list(args: argparse.Namespace, db: Database) -> int:
    rows = _rows(db, args.year)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        decided = "未确定" if r.decided_cut is None else f"确定调减 {wan(r.decided_cut)} 万元"
        print(
            f"{r.project_code}\t{r.project_name}\t{r.grade or '—'}\t{r.action}\t"
            f"建议调减 {wan(r.proposed_cut)} 万元\t{decided}"
        )
    print(f"共 {len(rows)} 个项目。")
    return 0


def handle_propose(args: argparse.Namespace, db: Database) -> int:
    from app.services.results.records import propose_results

    rows = propose_results(db, args.year, load_rules(args, db))
    cut = [r for r in rows if r.proposed_cut > 0]
    total = sum((r.proposed_cut for r in cut), Decimal(0))
    print(
        f"{args.year}年结果应用建议：{len(rows)} 个项目，建议调减 {len(cut)} 个，"
        f"合计 {wan(total)} 万元。"
    )
    return 0


def handle_confirm(args: argparse.Namespace, db: Database) -> int:
    from app.services.results.records import decide_adjustment

    rows = _rows(db, args.year)
    if bool(args.codes) == args.all:
        raise UserError("请指定项目编码，或 --all（按建议确定所有尚未确定的项目）之一。")
    if args.cut is not None and len(args.codes) != 1:
        raise UserError("--cut 只能用于一个项目：请只写一个项目编码。")
    if args.all:
        chosen = [r for r in rows if r.decided_cut is None]
    else:
        by_code = {r.project_code: r for r in rows}
        missing = [c for c in args.codes if c not in by_code]
        if missing:
            names = "、".join(missing)
            raise UserError(
                f"{args.year}年结果应用建议中没有项目：{names}（请先运行 results propose）。"
            )
        chosen = [by_code[c] for c in dict.fromkeys(args.codes)]
    for row in chosen:
        cut = row.proposed_cut if args.cut is None else args.cut
        decide_adjustment(db, row.adjustment_id, cut, args.reason)
    print(f"已确定 {len(chosen)} 个项目的调减数。")
    return 0


def _rows(db: Database, year: int) -> list[AdjustmentRow]:
    from app.services.results.records import results_by_department

    return [r for group in results_by_department(db, year) for r in group.rows]
