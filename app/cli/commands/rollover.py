"""`rollover --from-year Y`: copy continuing projects and goals into the next year as drafts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rollover", help="把延续项目及其绩效目标结转到下一年度（草稿）")
    parser.add_argument("--from-year", type=int, required=True, help="从哪个年度结转")
    add_rules_option(parser)
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.common.rollover import roll_forward

    rules = load_rules(args, db, args.from_year + 1)  # the copies are checked by next year's
    result = roll_forward(db, args.from_year, rules)
    if args.json:
        print_json(result)
        return 0
    print(
        f"{result.from_year}→{result.to_year}：结转项目 {len(result.copied)} 个，"
        f"已存在跳过 {len(result.skipped)} 个，部门整体绩效目标 {result.department_goals} 个"
    )
    if result.need_attention:
        print("以下项目的绩效目标按现行规则有阻止提交的问题，需修改：")
        print("  " + "、".join(result.need_attention))
    return 0
