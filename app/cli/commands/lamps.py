"""`lamps`: the warning lamps of one monitoring round, as a table or JSON."""

from __future__ import annotations

import argparse
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from app.cli.output import print_json
from app.cli.rules import add_rules_option, load_rules
from app.domain.enums import Lamp
from app.domain.money import format_percent, round2

if TYPE_CHECKING:
    from app.services.monitoring import ProjectMonitoringRow
    from app.services.monitoring.department import DepartmentMonitoringRow
    from app.storage.database import Database

RATE_PLACES = Decimal("0.0001")
LAGGING_SHOWN = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "lamps",
        help="显示某轮绩效监控的预警灯（预算灯、指标灯、项目灯）",
        description="显示某轮绩效监控各项目及各部门整体的执行率、序时进度和预警灯。",
    )
    parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
    parser.add_argument("--month", type=int, required=True, help="监控月份，如 6")
    parser.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 输出监控列表（先项目、后部门整体，scope 为 project / department；"
        "部门整体另有 basic、project_spending 两部分金额，lamp 为各行的总灯）："
        "execution_rate、time_progress 为小数形式的比率字符串，"
        '保留 4 位小数（"0.4000" 即 40%%），无法计算时为 null；'
        "各灯为 red / yellow / green / blue，无法亮灯时为 null",
    )
    parser.add_argument("--section", help="只看某股室（股室名称）")
    parser.add_argument("--department", help="只看某预算单位（单位编码）")
    parser.add_argument(
        "--lamp", choices=[lamp.value for lamp in Lamp], help="只看某种项目灯（部门整体灯）"
    )
    add_rules_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, db: Database) -> int:
    from app.services.monitoring import round_rows
    from app.services.monitoring.department import department_round_rows

    rules = load_rules(args, db)
    lamp = Lamp(args.lamp) if args.lamp else None
    rows = round_rows(
        db,
        args.year,
        args.month,
        rules,
        section=args.section,
        department=args.department,
        lamp=lamp,
    )
    departments = [
        row
        for row in department_round_rows(db, args.year, args.month, rules)
        if (args.section is None or row.section == args.section)
        and (args.department is None or row.department_code == args.department)
        and (lamp is None or row.department_lamp is lamp)
    ]
    if args.json:
        print_json([_as_json(row) for row in rows] + [_department_json(d) for d in departments])
    else:
        _print_table(args.year, args.month, rows)
        _print_departments(departments)
    return 0


def _fraction(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(RATE_PLACES, ROUND_HALF_UP), "f")


def _lamp(lamp: Lamp | None) -> str | None:
    return None if lamp is None else lamp.value


def _as_json(row: ProjectMonitoringRow) -> dict[str, Any]:
    return {
        "scope": "project",
        "project_code": row.project_code,
        "project_name": row.project_name,
        "section": row.section,
        "department_code": row.department_code,
        "department_name": row.department_name,
        "initial_budget": round2(row.initial_budget),  # 元, two decimals
        "adjusted_budget": round2(row.adjusted_budget),
        "spent": round2(row.spent),
        "execution_rate": _fraction(row.execution_rate),
        "time_progress": _fraction(row.time_progress),
        "budget_lamp": _lamp(row.budget_lamp),
        "project_lamp": _lamp(row.project_lamp),
        "lamp": _lamp(row.project_lamp),
        "indicator_lamps": _indicator_lamps(row),
        "reasons": list(row.reasons),
        "conclusion": row.conclusion,
    }


def _department_json(row: DepartmentMonitoringRow) -> dict[str, Any]:
    """A department-wide row: the whole spending, its two parts, the goal's indicators."""
    return {
        "scope": "department",
        "project_code": None,
        "project_name": None,
        "section": row.section,
        "department_code": row.department_code,
        "department_name": row.department_name,
        "initial_budget": round2(row.initial_budget),
        "adjusted_budget": round2(row.adjusted_budget),
        "spent": round2(row.spent),
        "basic": _part(row.basic_initial, row.basic_adjusted, row.basic_spent),
        "project_spending": _part(row.project_initial, row.project_adjusted, row.project_spent),
        "execution_rate": _fraction(row.execution_rate),
        "time_progress": _fraction(row.time_progress),
        "budget_lamp": _lamp(row.budget_lamp),
        "lamp": _lamp(row.department_lamp),
        "indicator_lamps": _indicator_lamps(row),
        "reasons": list(row.reasons),
        "conclusion": row.conclusion,
    }


def _part(initial: Decimal, adjusted: Decimal, spent: Decimal) -> dict[str, Decimal]:
    return {
        "initial_budget": round2(initial),
        "adjusted_budget": round2(adjusted),
        "spent": round2(spent),
    }


def _indicator_lamps(row: ProjectMonitoringRow | DepartmentMonitoringRow) -> list[dict[str, Any]]:
    return [
        {"name": i.name, "target": i.target, "current": i.current, "lamp": _lamp(i.lamp)}
        for i in row.indicators
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int) -> str:
    """Pad (or cut, marked "…") to a display width, counting Chinese characters as two
    columns, always leaving a gap of at least 2 columns before the next one."""
    room = width - 2
    if _width(text) > room:
        while _width(text) > room - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _print_table(year: int, month: int, rows: list[ProjectMonitoringRow]) -> None:
    from app.services.monitoring import LampCounts, lagging

    counts = LampCounts.of(row.project_lamp for row in rows)
    print(f"{year}年{month}月绩效监控预警灯：共 {len(rows)} 个项目")
    print(
        f"  红灯 {counts.red} 个，黄灯 {counts.yellow} 个，绿灯 {counts.green} 个，"
        f"蓝灯 {counts.blue} 个，未亮灯 {counts.unlit} 个"
    )
    behind = lagging(rows)
    if not behind:
        print("没有执行进度落后于序时进度的项目。")
        return
    print(f"执行进度滞后项目（共 {len(behind)} 个，按差距从大到小，列出前 {LAGGING_SHOWN} 个）：")
    widths = (18, 32, 22, 10, 10, 10, 8)
    header = ("项目编码", "项目名称", "预算单位", "执行率", "序时进度", "差距", "项目灯")
    print("".join(_cell(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
    for row in behind[:LAGGING_SHOWN]:
        cells = (
            row.project_code,
            row.project_name,
            row.department_name,
            format_percent(row.execution_rate),
            format_percent(row.time_progress),
            format_percent(row.gap),
            row.project_lamp.label if row.project_lamp else "未亮灯",
        )
        print("".join(_cell(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())


def _print_departments(rows: list[DepartmentMonitoringRow]) -> None:
    from app.services.monitoring import LampCounts

    if not rows:
        return
    counts = LampCounts.of(row.department_lamp for row in rows)
    print(f"部门整体：共 {len(rows)} 个部门")
    print(
        f"  红灯 {counts.red} 个，黄灯 {counts.yellow} 个，绿灯 {counts.green} 个，"
        f"蓝灯 {counts.blue} 个，未亮灯 {counts.unlit} 个"
    )
