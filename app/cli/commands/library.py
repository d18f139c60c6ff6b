"""`library`: the county's own indicator library, learned from its history.

python -m app --db PATH library from-history [--years 2023-2025] [--json]
python -m app --db PATH library review [--years …] --keep 1,2 --merge 3=57 --reject 4
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.domain.errors import UserError

if TYPE_CHECKING:
    from app.services.library.history.proposals import Proposal
    from app.storage.database import Database

_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "library",
        help="从本县历年已批复的绩效目标和自评中生成指标库建议，并批量审核",
        description="本县自己的指标库：从历史目标和自评归并同一指标，给出使用项目数、典型目标值和完成情况。",
    )
    actions = parser.add_subparsers(dest="library_action", metavar="操作", required=True)
    propose = actions.add_parser("from-history", help="列出从历史生成的指标库建议")
    _years_option(propose)
    propose.add_argument("--json", action="store_true", help="以 JSON 输出（含示例和其他写法）")
    propose.set_defaults(handler=handle_propose, writes=False)
    review = actions.add_parser("review", help="批量审核建议：收入、并入已有指标或不收入")
    _years_option(review)
    review.add_argument("--keep", default="", metavar="编号", help="收入指标库的建议编号，如 1,2,5")
    review.add_argument(
        "--merge",
        default="",
        metavar="编号=指标库编号",
        help="并入已有指标，如 3=57；省略“=…”时并入同名指标",
    )
    review.add_argument("--reject", default="", metavar="编号", help="不收入的建议编号")
    review.set_defaults(handler=handle_review)


def _years_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--years", metavar="起-止", help="取哪些年度，如 2023-2025 或 2024（默认：全部年度）"
    )


def parse_years(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = _YEARS.match(text.strip())
    if not match:
        raise UserError(f"年度范围“{text}”应写成 2023-2025 或 2024")
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def handle_propose(args: argparse.Namespace, db: Database) -> int:
    from app.services.library.history.proposals import DECISION_LABELS, propose_from_history

    proposals = propose_from_history(db, parse_years(args.years))
    if not proposals:
        raise UserError("所选年度没有已批复的项目绩效目标，无法生成指标库建议。")
    if args.json:
        print_json([_as_json(p) for p in proposals])
        return 0
    print("编号\t行业\t二级指标\t指标名称\t项目数\t年度\t典型目标（范围）\t完成率\t指标库\t审核")
    for p in proposals:
        g = p.group
        years = f"{g.years[0]}-{g.years[-1]}" if len(g.years) > 1 else str(g.years[0])
        library = f"已有#{p.library_id}" if p.library_id else ""
        decision = DECISION_LABELS.get(p.decision, "")
        print(
            f"{p.number}\t{g.field}\t{g.level2}\t{g.name}\t{g.projects}\t{years}\t"
            f"{g.typical}\t{p.met_rate}\t{library}\t{decision}"
        )
    new = sum(1 for p in proposals if not p.library_id and not p.decision)
    print(f"共 {len(proposals)} 条建议，其中指标库尚无且未审核的 {new} 条。")
    return 0


def _as_json(p: Proposal) -> dict[str, object]:
    from app.services.library.history.proposals import evidence

    g = p.group
    return {
        "number": p.number,
        "field": g.field,
        "level1": g.level1,
        "level2": g.level2,
        "name": g.name,
        "key": g.key,
        "comparator": g.comparator,
        "unit": g.unit,
        "projects": g.projects,
        "years": list(g.years),
        "typical": g.typical,
        "target_median": g.spread.median if g.spread else None,
        "target_low": g.spread.low if g.spread else None,
        "target_high": g.spread.high if g.spread else None,
        "met": g.met,
        "evaluated": g.evaluated,
        "variants": list(g.variants),
        "examples": list(g.examples),
        "library_id": p.library_id,
        "decision": p.decision,
        "evidence": evidence(g),
    }


def handle_review(args: argparse.Namespace, db: Database) -> int:
    from app.services.library.history.proposals import (
        KEEP,
        MERGE,
        REJECT,
        Decision,
        review_proposals,
    )

    decisions = [Decision(n, KEEP) for n in _numbers(args.keep, "--keep")]
    decisions += [Decision(n, REJECT) for n in _numbers(args.reject, "--reject")]
    for part in _parts(args.merge):
        number, _, into = part.partition("=")
        if not number.isdigit() or (into and not into.isdigit()):
            raise UserError(f"--merge 的“{part}”应写成 建议编号=指标库编号，如 3=57")
        decisions.append(Decision(int(number), MERGE, int(into) if into else None))
    if not decisions:
        raise UserError("请用 --keep、--merge 或 --reject 指明要审核的建议编号。")
    result = review_proposals(db, decisions, parse_years(args.years))
    print(
        f"已收入 {result.kept} 条，并入已有指标 {result.merged} 条，不收入 {result.rejected} 条。"
    )
    return 0


def _parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，]", text) if p.strip()]


def _numbers(text: str, option: str) -> list[int]:
    parts = _parts(text)
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise UserError(f"{option} 的“{'、'.join(bad)}”不是建议编号")
    return [int(p) for p in parts]
