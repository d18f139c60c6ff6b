"""`score`: score a year's self-evaluations by the rule set (绩效自评计分)."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.enums import Grade
from app.domain.errors import UserError

if TYPE_CHECKING:
    from app.services.evaluation import ProjectScore
    from app.storage.database import Database

NAME_WIDTH = 18


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "score",
        help="按规则集计算绩效自评得分，并与单位自评得分比较",
        description="按规则集计算各项目绩效自评得分、等级和每项得分说明，标出与单位自评不一致之处。",
    )
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--project", metavar="CODE", help="只计算该项目编码的自评")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（数值为十进制字符串）")
    add_rules_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.evaluation import score_year

    scores = score_year(db, args.year, load_rules(args, db), project_code=args.project)
    if not scores:
        if args.project:
            raise UserError(f"{args.year}年没有项目编码为“{args.project}”的绩效自评。")
        raise UserError(f"{args.year}年没有绩效自评数据，请先导入自评表。")
    if args.json:
        print_json([s.to_json() for s in scores])
    else:
        print_table(scores)
    return 0


def print_table(scores: list[ProjectScore]) -> None:
    print("股室\t项目编码\t项目名称\t计算得分\t等级\t自评得分\t自评等级\t疑点")
    for s in scores:
        claimed = "" if s.claimed_total is None else f"{s.claimed_total:.2f}"
        claimed_grade = s.claimed_grade.value if s.claimed_grade else ""
        print(
            f"{s.section}\t{s.project_code}\t{s.name[:NAME_WIDTH]}\t{s.total:.2f}\t"
            f"{s.grade.value}\t{claimed}\t{claimed_grade}\t{len(s.flags) or ''}"
        )
    counts = Counter(s.grade for s in scores)
    spread = "，".join(f"{g.value} {counts.get(g, 0)} 个" for g in Grade)
    flagged = sum(1 for s in scores if s.flags)
    print(f"共 {len(scores)} 份自评：{spread}；有疑点 {flagged} 份。")
