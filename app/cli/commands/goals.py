"""`goals list | submit | approve | return`: the review workflow of 绩效目标, scriptable.

The goals are named by project code, or all of one unit's (`--department`), or the whole
queue waiting for the action (`--all-pending`: 草稿 and 已退回 for submit, 待审核 for
approve and return). Each goal is done or refused on its own; refused ones are listed
with their reasons and the command exits 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.commands import goals_check
from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.enums import GoalStatus
from app.domain.errors import UserError

if TYPE_CHECKING:
    from app.services.goals import BulkResult
    from app.storage.database import Database

# The statuses each action works on: what --department and --all-pending pick.
WAITING = {
    "submit": (GoalStatus.DRAFT, GoalStatus.RETURNED),
    "approve": (GoalStatus.SUBMITTED,),
    "return": (GoalStatus.SUBMITTED,),
}
DONE_TEXT = {"submit": "提交审核", "approve": "审核通过", "return": "退回"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("goals", help="绩效目标审核：列出、提交、审核通过、退回、检查")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    listing = actions.add_parser("list", help="列出某年度的绩效目标及状态（可按状态、单位筛选）")
    listing.add_argument("--year", type=int, required=True, help="年度，如 2025")
    listing.add_argument(
        "--status", choices=[s.value for s in GoalStatus], help="只列出该状态的目标"
    )
    listing.add_argument("--department", metavar="单位编码", help="只列出该单位的目标")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=handle_list, writes=False)
    for action, help_text in (
        ("submit", "提交审核（草稿或已退回的目标）"),
        ("approve", "审核通过（待审核的目标；先检查事前绩效评估要求）"),
        ("return", "退回（待审核的目标，须填写退回原因）"),
    ):
        child = actions.add_parser(action, help=help_text, description=help_text)
        child.add_argument("--year", type=int, required=True, help="年度，如 2025")
        child.add_argument("codes", nargs="*", metavar="项目编码", help="一个或多个项目编码")
        child.add_argument("--department", metavar="单位编码", help="该单位所有可办理的目标")
        child.add_argument("--all-pending", action="store_true", help="本年度所有可办理的目标")
        if action == "approve":
            child.add_argument("--note", default="", help="审核意见（记入审核记录）")
            add_rules_option(child)
        elif action == "return":
            child.add_argument("--reason", required=True, help="退回原因（记入每个目标的审核记录）")
        else:
            add_rules_option(child)
        child.add_argument("--json", action="store_true", help="以 JSON 输出办理结果")
        child.set_defaults(handler=handle_action)
    goals_check.add_check_parser(actions)


def handle_list(args: argparse.Namespace, db: Database) -> int:
    from app.services.goals.queue import goal_queue

    statuses = (GoalStatus(args.status),) if args.status else ()
    rows = goal_queue(db, args.year, statuses, args.department)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row.project_code or '部门整体'}\t{row.status.value}\t{row.department}\t{row.name}")
    print(f"共 {len(rows)} 个绩效目标。")
    return 0


def handle_action(args: argparse.Namespace, db: Database) -> int:
    from app.services.goals import approve_goals, return_goals, submit_goals

    goal_ids = _chosen(args, db)
    if not goal_ids:
        print(f"没有可{DONE_TEXT[args.action]}的绩效目标。")
        return 0
    if args.action == "submit":
        result = submit_goals(db, goal_ids, load_rules(args, db))
    elif args.action == "approve":
        result = approve_goals(db, goal_ids, load_rules(args, db), args.note)
    else:
        result = return_goals(db, goal_ids, args.reason)
    return _report(args, result)


def _chosen(args: argparse.Namespace, db: Database) -> list[int]:
    from app.services.goals.queue import goal_queue, goals_of_projects

    ways = sum((bool(args.codes), args.department is not None, args.all_pending))
    if ways != 1:
        raise UserError("请指定项目编码，或 --department 单位编码，或 --all-pending 之一。")
    if args.codes:
        return goals_of_projects(db, args.year, args.codes)
    rows = goal_queue(db, args.year, WAITING[args.action], args.department)
    return [row.goal_id for row in rows]


def _report(args: argparse.Namespace, result: BulkResult) -> int:
    if args.json:
        print_json(result)
    else:
        print(f"已{DONE_TEXT[args.action]} {len(result.done)} 个绩效目标。")
    if result.refused:
        print(f"{len(result.refused)} 个未能{DONE_TEXT[args.action]}：", file=sys.stderr)
        for refusal in result.refused:
            print(f"  {refusal.label}：", file=sys.stderr)
            for reason in refusal.reasons:
                print(f"    {reason.removeprefix(refusal.label + '：')}", file=sys.stderr)
        return 2
    return 0
