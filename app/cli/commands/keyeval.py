"""`keyeval`: the year's 财政重点评价 — list, add to the plan, score (重点评价)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.errors import UserError
from app.domain.key_evaluation import ObjectKind
from app.domain.money import YUAN_PER_WAN

if TYPE_CHECKING:
    from app.services.key_evaluation import EvaluationRow, ItemEdit
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "keyeval",
        help="财政重点评价：列出、加入年度计划、评分",
        description="财政重点评价（部门整体、政策、项目）：年度计划、指标评分、发现的问题和建议。",
    )
    verbs = parser.add_subparsers(dest="keyeval_verb", metavar="操作", required=True)
    listing = verbs.add_parser("list", help="列出年度重点评价计划及得分、等级")
    listing.add_argument("--year", type=int, required=True, help="年度，如 2025")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    add = verbs.add_parser("add", help="把一个评价对象加入年度计划（复制指标体系模板）")
    add.add_argument("--year", type=int, required=True, help="年度，如 2025")
    add.add_argument("--kind", required=True, choices=[k.value for k in ObjectKind])
    add.add_argument("--subject", required=True, help="评价对象名称")
    add.add_argument("--department", required=True, metavar="CODE", help="主管单位编码")
    add.add_argument("--reason", required=True, help="选择理由")
    add.add_argument("--project", default="", metavar="CODE", help="项目编码（项目评价必填）")
    add.add_argument("--amount", default="0", metavar="万元", help="评价资金（万元）")
    add.add_argument("--agency", default="", help="第三方机构")
    add.add_argument("--team", default="", help="评价组成员")
    score = verbs.add_parser("score", help="给指标评分，记录发现的问题和整改建议")
    score.add_argument("--year", type=int, required=True, help="年度，如 2025")
    score.add_argument("--code", required=True, help="评价编号，如 ZD2025-01")
    score.add_argument(
        "--set", action="append", default=[], metavar="指标=得分[:依据]",
        help="三级指标得分，可重复，如 --set 预算执行率=3.5:执行率87%%",
    )  # fmt: skip
    score.add_argument("--problem", action="append", default=[], help="发现的问题（可重复）")
    score.add_argument("--suggestion", action="append", default=[], help="整改建议（可重复）")
    for p in (listing, add, score):
        add_rules_option(p)
    listing.set_defaults(writes=False)  # only reads: no writer lock, no day's backup
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.key_evaluation import (
        PlanEdit,
        create_evaluation,
        find_evaluation,
        list_evaluations,
        save_evaluation,
        save_items,
    )

    rules = load_rules(args, db)
    if args.keyeval_verb == "list":
        rows = list_evaluations(db, args.year, rules)
        if args.json:
            print_json([_summary(r) for r in rows])
        else:
            _print(rows)
        return 0
    if args.keyeval_verb == "add":
        edit = PlanEdit(
            ObjectKind(args.kind), args.subject, args.department, args.reason, args.project,
            _wan(args.amount), args.agency, args.team,
        )  # fmt: skip
        row = create_evaluation(db, args.year, edit, rules)
        items = len(row.items)
        print(f"已加入{args.year}年重点评价计划：{row.code} {row.subject}（{items}项指标）")
        return 0
    row = find_evaluation(db, args.year, args.code, rules)
    if args.problem or args.suggestion:
        plan = row.plan
        problems = "\n".join(args.problem) or plan.problems
        suggestions = "\n".join(args.suggestion) or plan.suggestions
        edit = replace(plan, problems=problems, suggestions=suggestions)
        row = save_evaluation(db, row.id, edit, rules)
    if args.set:
        row = save_items(db, row.id, _scored(row, args.set), rules)
    grade = f"，等级“{row.grade}”" if row.grade else f"（已评分{row.scored}/{len(row.items)}项）"
    print(f"{row.code} {row.subject}：得分{row.total}{grade}")
    return 0


def _scored(row: EvaluationRow, settings: list[str]) -> list[ItemEdit]:
    items = {i.name: i for i in row.items}
    for text in settings:
        name, sep, rest = text.partition("=")
        value, _, evidence = rest.partition(":")
        if not sep or name.strip() not in items:
            raise UserError(
                f"--set “{text}”不对：应为“三级指标名称=得分[:依据]”，指标须在评价{row.code}中"
            )
        try:
            score = Decimal(value.strip())
        except InvalidOperation as exc:
            raise UserError(f"--set “{text}”中的得分“{value}”不是数字") from exc
        item = items[name.strip()]
        items[item.name] = replace(item, score=score, evidence=evidence.strip() or item.evidence)
    return list(items.values())


def _wan(text: str) -> Decimal:
    try:
        return Decimal(text) * YUAN_PER_WAN
    except InvalidOperation as exc:
        raise UserError(f"评价资金“{text}”不是数字（单位万元）") from exc


def _summary(r: EvaluationRow) -> dict[str, object]:
    return {
        "code": r.code, "kind": r.object_kind, "subject": r.subject,
        "department": r.department_code, "project": r.project_code, "amount": r.plan.amount,
        "agency": r.plan.agency, "scored": r.scored, "items": len(r.items),
        "total": r.total if r.complete else None, "grade": r.grade,
    }  # fmt: skip


def _print(rows: list[EvaluationRow]) -> None:
    print("评价编号\t类型\t评价对象\t单位\t评价资金(万元)\t得分\t等级")
    for r in rows:
        total = f"{r.total:.2f}" if r.complete else f"已评{r.scored}/{len(r.items)}"
        amount = f"{r.plan.amount / YUAN_PER_WAN:.2f}"
        cells = (r.code, r.object_kind, r.subject, r.department, amount, total, r.grade)
        print("\t".join(cells))
    print(f"共 {len(rows)} 项重点评价。")
