"""`report KIND --year Y [--month M] [--project CODE] [--department CODE] --out F`.

Every kind listed in app.services.reports.KINDS is a sub-command here, with exactly the
scope options it uses; a missing required option is reported in Chinese (exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.rules import add_rules_option, load_rules
from app.domain.dates import parse_date
from app.domain.errors import UserError
from app.domain.progress import Progress

if TYPE_CHECKING:
    from app.services.reports import KindInfo, ReportKind, ReportRequest
    from app.storage.database import Database

EPILOG = """\
输出文件的扩展名决定格式：.docx（Word/WPS 可编辑）或 .pdf（打印、报送）。
例（python -m app --db 数据.sqlite3 report …）：
  goal-table --year 2025 --project 219001001 --out 目标表.pdf
  goal-book --year 2025 --department 219001 --out 汇编.pdf
  monitoring-table --year 2025 --month 6 --project 219001001 --out 监控表.pdf
  monitoring --year 2025 --month 6 --out 监控情况报告.docx
  working-paper --year 2025 --project 219001001 --out 复核底稿.pdf
  review-opinion --year 2025 --department 219001 --out 审核意见.docx
  annual --year 2025 --out 工作情况报告.docx
各类报告需要的选项见 python -m app report 报告名 --help。"""

# How each missing scope field is asked for on the command line.
OPTION_TEXT = {
    "project": "--project（项目编码）",
    "department": "--department（单位编码）",
    "month": "--month（监控月份，如 6）",
    "project_or_department": "--project（项目编码）或 --department（单位编码）",
}


def register(sub: argparse._SubParsersAction) -> None:
    from app.services.reports import KINDS

    parser = sub.add_parser(
        "report",
        help="生成报告（目标表、监控表、自评表、复核底稿、审核意见、工作情况报告等），Word 或 PDF",
        description="从数据库生成报告，保存为 .docx 或 .pdf。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="report_kind", metavar="报告", required=True)
    for kind, info in KINDS.items():
        _add_kind(kinds, kind, info)


def _add_kind(kinds: argparse._SubParsersAction, kind: ReportKind, info: KindInfo) -> None:
    help_text = info.label + _scope_hint(info)
    parser = kinds.add_parser(kind.value, help=help_text, description=f"生成{help_text}。")
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    if info.month:
        month_help = "监控月份，如 6（监控类报告必填）"
        parser.add_argument("--month", type=int, metavar="M", help=month_help)
    if info.needs_project:
        sampled = "（须在复核抽查样本中）" if info.sampled else ""
        parser.add_argument("--project", metavar="CODE", help=f"项目编码{sampled}")
    if info.needs_department:
        parser.add_argument("--department", metavar="CODE", help=_department_help(info))
    if info.approved_only:
        parser.add_argument("--approved-only", action="store_true", help="只收录已通过审核的目标")
    if info.templates:
        parser.add_argument(
            "--templates",
            type=Path,
            metavar="FILE",
            help="报告文字模板文件（TOML，默认：程序自带或用户修改过的模板）",
        )
    parser.add_argument("--out", type=Path, required=True, help="输出文件（.docx 或 .pdf）")
    parser.add_argument(
        "--final",
        action="store_true",
        help="导出定稿：还有【请补充】内容时拒绝导出（默认：有待补充内容时导出草稿）",
    )
    parser.add_argument("--date", metavar="DATE", help="成文日期，如 2025-03-31（默认：今天）")
    parser.add_argument("--doc-number", metavar="文号", help="发文字号，如 示财〔2025〕12号")
    add_rules_option(parser)
    parser.set_defaults(handler=handle)


def _scope_hint(info: KindInfo) -> str:
    from app.services.reports import Need

    if info.either:
        return "（按项目或按单位）"
    parts = []
    if info.month:
        parts.append("按监控月份")
    if info.project is Need.REQUIRED:
        parts.append("按项目")
    if info.department is Need.REQUIRED:
        parts.append("按单位")
    elif info.department is Need.OPTIONAL:
        parts.append("全年或一个单位")
    return f"（{'、'.join(parts)}）" if parts else ""


def _department_help(info: KindInfo) -> str:
    from app.services.reports import Need

    if info.either:
        return "单位编码：该单位全部已复核项目的审核意见"
    if info.department is Need.OPTIONAL:
        return "只包含该单位（单位编码；默认：全部单位）"
    return "单位编码"


def request_from_args(args: argparse.Namespace) -> ReportRequest:
    """The request the options describe; UserError (Chinese) naming a missing option."""
    from app.services.reports import ReportKind, ReportRequest

    kind = ReportKind(args.report_kind)
    request = ReportRequest(
        kind=kind,
        year=args.year,
        project_code=(getattr(args, "project", None) or "").strip(),
        department_code=(getattr(args, "department", None) or "").strip() or None,
        approved_only=getattr(args, "approved_only", False),
        month=getattr(args, "month", None),
        final=args.final,
        date=parse_date(args.date, "成文日期") if args.date else None,
        doc_number=(args.doc_number or "").strip(),
    )
    missing = request.missing()
    if missing:
        options = "、".join(OPTION_TEXT[field] for field in missing)
        raise UserError(f"生成“{kind.label}”需要指定 {options}。")
    return request


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.reports import (
        Templates,
        build_report,
        check_output_path,
        draft_notes,
        font_warnings,
        render,
    )

    request = request_from_args(args)
    templates_file = getattr(args, "templates", None)
    templates = Templates.load(templates_file) if templates_file else None
    check_output_path(args.out)  # before any slow work
    if args.out.suffix.lower() == ".pdf":  # a .docx names its fonts; Word finds them
        for line in font_warnings():
            print(f"字体提示：{line}", file=sys.stderr)
    progress = _progress()
    document = build_report(db, request, load_rules(args, db), progress, templates)
    path = render(document, args.out, progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
    if document.draft:
        missing = "；".join(draft_notes(document))
        print(f"已生成{request.kind.label}（草稿）：{path}")
        print(f"定稿前请补充：{missing}")
    else:
        print(f"已生成{request.kind.label}：{path}")
    return 0


def _progress() -> Progress:
    """Progress on stderr only for an interactive terminal (scripts get clean output)."""
    if not sys.stderr.isatty():
        return Progress()

    def report(done: int, total: int, message: str) -> None:
        print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    return Progress(report=report)
