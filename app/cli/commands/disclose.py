"""`disclose`: the 公开 pack (each unit's goal and self-evaluation tables) and its records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.rules import add_rules_option, load_rules
from app.domain.progress import Progress

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "disclose",
        help="绩效信息公开：按单位生成目标表和自评表的 PDF、Word 文件及目录，列出公开记录",
        description=(
            "绩效信息公开：每个单位一份 PDF 和一份 Word（随预算公开的绩效目标表、"
            "随决算公开的绩效自评表），另附目录。"
        ),
    )
    verbs = parser.add_subparsers(dest="disclose_verb", metavar="操作", required=True)
    pack = verbs.add_parser("pack", help="为全部单位生成公开材料")
    pack.add_argument("--out", type=Path, required=True, help="输出文件夹")
    add_rules_option(pack)
    listing = verbs.add_parser("list", help="列出已生成的公开材料")
    for p in (pack, listing):
        p.add_argument("--year", type=int, required=True, help="年度，如 2025")
    listing.set_defaults(writes=False)  # only reads: no writer lock, no day's backup
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.disclosure import build_disclosure_pack, disclosure_records

    if args.disclose_verb == "pack":
        result = build_disclosure_pack(db, args.year, args.out, load_rules(args, db), _progress())
        print(
            f"已为 {len(result.units)} 个单位生成公开材料（{result.skipped} 个单位无可公开内容）："
        )
        print(result.folder)
        return 0
    print("单位编码\t单位名称\t生成时间\t操作人\t目标表\t自评表\t文件")
    for r in disclosure_records(db, args.year):
        print(
            f"{r.department_code}\t{r.department}\t{r.published_at:%Y-%m-%d %H:%M}\t{r.actor}\t"
            f"{r.goal_tables}\t{r.evaluation_tables}\t{r.file_name}"
        )
    return 0


def _progress() -> Progress:
    if not sys.stderr.isatty():
        return Progress()
    return Progress(lambda d, t, m: print(f"\r{m} {d}/{t}", end="", file=sys.stderr, flush=True))
