"""`sample`: draw (or show) the year's 抽查复核 sample."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.enums import Grade

if TYPE_CHECKING:
    from app.services.spotcheck import MustInclude, SampleResult, SectionDraw
    from app.storage.database import Database

EPILOG = """\
同一年度只保留一次抽样：
  不带 --seed 再次运行：显示已记录的抽样结果，不重新抽取；
  用已记录的同一随机种子（且未改比例和必抽条件）再次运行：同样显示已记录的结果；
  其他情况须加 --replace 才会重新抽取（已开始复核的年度不能重新抽取）。
同一随机种子、同样的自评数据和规则，在任何电脑上都抽出同样的样本。"""


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from exc


def _grades(text: str) -> tuple[Grade, ...]:
    try:
        return tuple(Grade(part.strip()) for part in text.replace("，", ",").split(",") if part)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”应为 优/良/中/差，用逗号分隔") from exc


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sample",
        help="按股室抽取绩效自评复核样本（可重现）",
        description="每个股室按比例向上取整抽取，至少 1 个；记录抽取人、时间、规则和随机种子。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--ratio", type=_decimal, help="抽查比例，如 0.2（默认取规则集）")
    parser.add_argument("--seed", type=int, help="随机种子（0-2147483647；默认随机生成并记录）")
    parser.add_argument("--replace", action="store_true", help="重新抽取，替换该年度已有的抽样")
    parser.add_argument("--must-amount", type=_decimal, metavar="万元", help="金额达到该值必抽")
    parser.add_argument("--must-grades", type=_grades, metavar="中,差", help="上年等级为这些的必抽")
    parser.add_argument(
        "--must-full-unspent", action="store_true", help="自评满分但预算未执行完的必抽"
    )
    parser.add_argument("--must-red-month", type=int, metavar="月", help="该月监控红灯的必抽")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_rules_option(parser)
    parser.set_defaults(handler=handle)


def _must_include(args: argparse.Namespace) -> MustInclude | None:
    from app.services.spotcheck import MustInclude

    must = MustInclude(
        amount_wan=args.must_amount,
        last_grades=args.must_grades,
        full_score_unspent=True if args.must_full_unspent else None,
        red_at_month=args.must_red_month,
    )
    return None if must == MustInclude() else must


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.spotcheck import draw_sample, sample_summary

    must = _must_include(args)
    existing = None if args.replace else sample_summary(db, args.year)
    same = (
        existing is not None
        and args.seed in (None, existing.seed)
        and args.ratio in (None, existing.ratio)
        and must is None
    )
    if same and existing is not None:
        result = existing
        print("已有抽样记录，显示已记录的结果（重新抽取请加 --replace）。", file=sys.stderr)
    else:
        rules = load_rules(args, db)
        result = draw_sample(
            db, args.year, rules, ratio=args.ratio, seed=args.seed, must_include=must,
            replace=args.replace,
        )  # fmt: skip
    if args.json:
        print_json([_section_json(s) for s in result.sections])
    else:
        print_result(result)
    return 0


def _section_json(section: SectionDraw) -> dict[str, object]:
    return {
        "section": section.section,
        "population": section.population,
        "quota": section.quota,
        "drawn": section.drawn,
        "project_codes": list(section.project_codes),
        "items": [
            {"project_code": i.project_code, "name": i.name, "department": i.department,
             "reason": i.reason}
            for i in section.items
        ],
    }  # fmt: skip


def print_result(result: SampleResult) -> None:
    print(
        f"{result.year}年抽查复核样本：随机种子 {result.seed}，"
        f"{result.drawn_by} 于 {result.drawn_at:%Y-%m-%d %H:%M} 抽取"
    )
    print(f"规则：{result.rule_text}")
    for s in result.sections:
        print(f"{s.section}：自评 {s.population} 份，应抽 {s.quota} 份，抽取 {s.drawn} 份")
        for item in s.items:
            print(f"  {item.project_code}\t{item.name}\t{item.department}\t{item.reason}")
    print(f"合计：自评 {result.population} 份，抽取 {result.drawn} 份。")
