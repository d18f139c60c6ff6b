"""`report`: write a report as .docx or .pdf (chosen by the output file's extension)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.commands.score import add_rules_option, load_rules
from app.domain.progress import Progress
from app.services.reports import ReportKind, ReportRequest, Templates, export_report
from app.storage.database import Database

EPILOG = """\
输出文件的扩展名决定格式：.docx（Word/WPS 可编辑）或 .pdf（打印、报送）。
例：
  python -m app --db 数据.sqlite3 report goal-table --year 2025 --project 219001001 --out 目标表.pdf
  python -m app --db 数据.sqlite3 report goal-book --year 2025 --department 219001 --out 汇编.pdf
  python -m app --db 数据.sqlite3 report annual --year 2025 --out 工作报告.docx"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "report",
        help="生成报告（绩效目标表、目标汇编、向人大的工作情况报告），Word 或 PDF",
        description="从数据库生成报告，保存为 .docx 或 .pdf。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="report_kind", metavar="报告", required=True)
    table = _add_kind(kinds, ReportKind.GOAL_TABLE, "一个项目的项目支出绩效目标表")
    table.add_argument("--project", required=True, metavar="CODE", help="项目编码")
    unit = _add_kind(kinds, ReportKind.DEPARTMENT_GOAL_TABLE, "一个单位的部门整体支出绩效目标表")
    unit.add_argument("--department", required=True, metavar="CODE", help="单位编码")
    book = _add_kind(kinds, ReportKind.GOAL_BOOK, "全年（或一个单位）的项目支出绩效目标汇编")
    book.add_argument("--department", metavar="CODE", help="只汇编该单位（单位编码）")
    book.add_argument("--approved-only", action="store_true", help="只收录已通过审核的目标")
    annual = _add_kind(kinds, ReportKind.ANNUAL, "向人大报告的预算绩效管理工作情况报告（初稿）")
    annual.add_argument(
        "--templates", type=Path, help="报告文字模板文件（TOML，默认：程序自带或用户修改过的模板）"
    )


def _add_kind(
    kinds: argparse._SubParsersAction, kind: ReportKind, help_text: str
) -> argparse.ArgumentParser:
    parser = kinds.add_parser(kind.value, help=help_text, description=f"生成{help_text}。")
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--out", type=Path, required=True, help="输出文件（.docx 或 .pdf）")
    add_rules_option(parser)
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace, db: Database) -> int:
    kind = ReportKind(args.report_kind)
    request = ReportRequest(
        kind=kind,
        year=args.year,
        project_code=getattr(args, "project", None) or "",
        department_code=getattr(args, "department", None),
        approved_only=getattr(args, "approved_only", False),
    )
    templates_file = getattr(args, "templates", None)
    templates = Templates.load(templates_file) if templates_file else None
    path = export_report(db, request, args.out, load_rules(args), _progress(), templates)
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
    print(f"已生成{kind.label}：{path}")
    return 0


def _progress() -> Progress:
    """Progress on stderr only for an interactive terminal (scripts get clean output)."""
    if not sys.stderr.isatty():
        return Progress()

    def report(done: int, total: int, message: str) -> None:
        print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    return Progress(report=report)
