"""`demo`: fill an empty database with the demo county (示例县) for two years."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="生成示例县的两个年度示例数据（仅限空数据库）")
    parser.add_argument(
        "--year", type=int, default=2025, help="当前年度（同时生成上一年度），默认 2025"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="随机种子：相同种子生成相同数据，默认 1"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="规模：1 为一个县的实际规模，默认 1"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.demo import build_demo

    s = build_demo(db, year=args.year, seed=args.seed, scale=args.scale)
    years = f"{s.years[0]}、{s.years[1]}"
    print(f"已生成“{s.county}”{years} 两个年度的示例数据，用时 {s.elapsed_seconds:.1f} 秒：")
    print(f"  股室 {s.sections} 个，预算单位 {s.departments} 个")
    print(f"  项目 {s.projects} 个，绩效目标 {s.goals} 个，指标 {s.indicators} 个")
    print(f"  其中 {s.flawed_goals} 个绩效目标故意留有问题，供审核演示")
    print(f"  事前绩效评估 {s.pre_assessments} 个")
    print(
        f"  运行监控 {s.monitoring_rounds} 轮，项目监控记录 {s.monitoring_entries} 条，"
        f"部门整体监控记录 {s.department_monitoring_entries} 条"
    )
    print(f"  绩效自评 {s.self_evaluations} 份")
    print(f"  指标库新增指标 {s.library_added} 个")
    return 0
