"""The bureau's per-股室 table of goal findings: one sheet per 股室, weakest goals first.

Weakest means most history findings (targets set too easy), then most blocking problems,
so a section's review can start at the top. A last sheet lists every finding with its
figures, for whoever follows one goal up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.domain.rules import RuleSet
from app.services.library.history.checks import GoalFindings, section_tables, year_findings
from app.spreadsheet import Column, Kind, SheetContent, SheetSpec, write_workbook
from app.storage.database import Database

SUMMARY_COLUMNS = [
    Column("单位编码", "department_code", Kind.CODE, width=10),
    Column("单位名称", "department_name", width=20),
    Column("项目编码", "project_code", Kind.CODE, width=14),
    Column("名称", "name", width=30),
    Column("状态", "status", width=8),
    Column("历史比较提示", "history", Kind.INTEGER, width=12),
    Column("阻断问题", "blocking", Kind.INTEGER, width=10),
    Column("全部问题", "total", Kind.INTEGER, width=10),
]
DETAIL = SheetSpec(
    "问题明细",
    [
        Column("股室", "section", width=12),
        Column("项目编码", "project_code", Kind.CODE, width=14),
        Column("名称", "name", width=26),
        Column("类别", "kind", width=18),
        Column("行", "row", Kind.INTEGER, width=6),
        Column("列", "column", width=10),
        Column("问题", "message", width=80),
        Column("比较的数值", "figures", width=40),
    ],
)
SHEET_NAME_LIMIT = 31  # Excel's limit


def export_section_findings(
    db: Database, year: int, rules: RuleSet, path: str | Path, department_code: str | None = None
) -> Path:
    goals = year_findings(db, year, rules, department_code)
    contents = [
        SheetContent(SheetSpec(section[:SHEET_NAME_LIMIT], SUMMARY_COLUMNS), _summary(rows))
        for section, rows in section_tables(goals).items()
    ]
    contents.append(SheetContent(DETAIL, _details(goals)))
    write_workbook(path, contents, instructions=False, protect=False)
    return Path(path)


def _summary(rows: Sequence[GoalFindings]) -> list[dict[str, object]]:
    return [
        {
            "department_code": g.department_code,
            "department_name": g.department_name,
            "project_code": g.project_code or None,
            "name": g.name,
            "status": g.status,
            "history": g.history,
            "blocking": g.blocking,
            "total": len(g.findings),
        }
        for g in rows
    ]


def _details(goals: Sequence[GoalFindings]) -> list[dict[str, object]]:
    return [
        {
            "section": g.section,
            "project_code": g.project_code or None,
            "name": g.name,
            "kind": f.kind,
            "row": f.row,
            "column": f.column or None,
            "message": f.message,
            "figures": "；".join(f"{k}：{v}" for k, v in f.figures.items()) or None,
        }
        for g in goals
        for f in g.findings
    ]
