"""`goals check`: every goal's findings of a year, as the goal editor lists them.

    python -m app --db PATH goals check --year Y [--department CODE] [--json] [--by-section]

Blocking problems, review findings and the history checks (targets set too easy), each
with its kind, location and the figures it compares. `--by-section` prints one table per
股室 with the weakest goals first, where the bureau's review starts; `--out FILE.xlsx`
writes the same tables as a workbook.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules

if TYPE_CHECKING:
    from app.services.library.history.checks import GoalFindings
    from app.storage.database import Database


def add_check_parser(actions: argparse._SubParsersAction) -> None:
    """`check` under the `goals` command (app/cli/commands/goals.py)."""
    check = actions.add_parser(
        "check",
        help="列出每个绩效目标的问题和审核提示（含与历史比较的提示）",
        description="与目标编辑器相同的检查：阻断问题、审核提示，以及目标偏低等历史比较提示。",
    )
    check.add_argument("--year", type=int, required=True, help="年度，如 2025")
    check.add_argument("--department", metavar="CODE", help="只看该单位编码的目标")
    check.add_argument("--json", action="store_true", help="以 JSON 输出每个目标及其问题")
    check.add_argument("--by-section", action="store_true", help="按股室分表，问题多的目标在前")
    check.add_argument(
        "--out", type=Path, metavar="FILE.xlsx", help="把按股室分表的结果写入 Excel 工作簿"
    )
    add_rules_option(check)
    check.set_defaults(handler=handle, writes=False)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.library.history.checks import year_findings

    rules = load_rules(args, db)
    if args.out is not None:
        # Loaded only here: the workbook writer pulls in openpyxl, which a listing never needs.
        from app.services.library.history.section_export import export_section_findings

        path = export_section_findings(db, args.year, rules, args.out, args.department)
        print(f"已写入：{path}")
        return 0
    goals = year_findings(db, args.year, rules, args.department)
    if args.json:
        print_json(goals)
    elif args.by_section:
        print_by_section(goals)
    else:
        print_findings(goals)
    return 0


def _label(g: GoalFindings) -> str:
    return f"{g.project_code} {g.name}" if g.project_code else g.name


def print_findings(goals: list[GoalFindings]) -> None:
    for g in goals:
        if not g.findings:
            continue
        print(f"{g.section}｜{g.department_code} {g.department_name}｜{_label(g)}（{g.status}）")
        for f in g.findings:
            where = f"第{f.row}行" if f.row is not None else ""
            where += ("·" if where and f.column else "") + f.column
            print(f"  [{f.kind}] {where + '：' if where else ''}{f.message}")
    with_findings = sum(1 for g in goals if g.findings)
    history = sum(g.history for g in goals)
    blocking = sum(1 for g in goals if g.blocking)
    print(
        f"共 {len(goals)} 个绩效目标，{with_findings} 个有问题或提示，"
        f"其中 {blocking} 个有阻断问题；与历史比较的提示 {history} 条。"
    )


def print_by_section(goals: list[GoalFindings]) -> None:
    from app.services.library.history.checks import section_tables

    for section, rows in section_tables(goals).items():
        print(f"【{section}】")
        print("单位编码\t项目编码\t名称\t状态\t历史提示\t阻断问题\t全部问题")
        for g in rows:
            print(
                f"{g.department_code}\t{g.project_code}\t{g.name}\t{g.status}\t"
                f"{g.history}\t{g.blocking}\t{len(g.findings)}"
            )
        print()
