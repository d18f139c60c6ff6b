"""Exporting a round for departments and importing their figures back.

Design decisions:
- Two phases, all or nothing: read the whole file, check every row with the checks
  update_entry uses (monitoring.check_money / check_indicator), list every problem with
  its sheet, row and column; save nothing if one blocks, else write everything in one
  transaction after a backup (backups.backup_before(db, "import")).
- Only what differs from the database is written and audited, so importing the same file
  twice changes nothing the second time (and takes no backup).
- Missing 偏差原因 of red or yellow lamps (the budget lamp's on 项目, the indicators' on
  指标) do not block an import (the figures are still worth saving): they come back as
  located warnings, and closing the round enforces them.
- A closed round refuses imports; exporting it is fine (a record of what was reported).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.enums import Comparator, Lamp
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet
from app.services.common import audit, jobs
from app.services.common.backups import backup_before
from app.services.common.import_losses import require_confirmation
from app.services.monitoring import EntryEdit, ProjectMonitoringRow, round_rows
from app.services.monitoring.entries import apply_edit, check_indicator, check_money
from app.services.monitoring.loading import find_round
from app.services.monitoring.rounds import CLOSED
from app.services.monitoring.views import load_rows
from app.services.monitoring.workbook import kept
from app.services.monitoring.workbook.rows import (
    ParsedFile,
    changed_edit,
    indicator_rows,
    parse_file,
    project_row,
)
from app.spreadsheet import SheetContent, read_workbook, write_workbook
from app.spreadsheet.monitoring_sheets import (
    INDICATOR_SHEET,
    INDICATORS,
    MONITORING_SHEETS,
    PROJECT_SHEET,
    PROJECTS,
)
from app.storage import joblock
from app.storage.database import Database
from app.storage.models import MonitoringEntry, MonitoringIndicator, Project


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    year: int
    month: int
    department: str | None
    projects: int
    indicators: int


@dataclass(frozen=True)
class ImportSummary:
    file_name: str
    year: int
    month: int
    projects: int  # project rows read
    changed_projects: int  # entries written (0 when the file matches the database)
    changed_indicators: int
    warnings: tuple[Problem, ...]  # non-blocking: overspending, missing 偏差原因...
    backup: Path | None  # the backup taken before writing; None when nothing changed
    losses: tuple[str, ...] = ()  # stored values blanked, by project and indicator


def export_monitoring_workbook(
    db: Database,
    year: int,
    month: int,
    path: str | Path,
    rules: RuleSet,
    *,
    department: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> ExportSummary:
    """Write the round's 项目 and 指标 sheets for one department (by code) or for all."""
    rows = round_rows(db, year, month, rules, department=department)
    if not rows:
        where = f"单位 {department} " if department else ""
        raise UserError(f"{year}年{month}月监控轮次中没有{where}的项目，未导出。")
    projects = [project_row(year, row) for row in rows]
    indicators = [item for row in rows for item in indicator_rows(row)]
    contents = [SheetContent(PROJECT_SHEET, projects), SheetContent(INDICATOR_SHEET, indicators)]
    write_workbook(Path(path), contents, progress=progress)
    return ExportSummary(Path(path), year, month, department, len(projects), len(indicators))


@jobs.exclusive(joblock.IMPORT)
def import_monitoring_workbook(
    db: Database,
    path: str | Path,
    rules: RuleSet,
    *,
    progress: Progress = NO_PROGRESS,
    allow_deletions: bool = False,
) -> ImportSummary:
    """Check the whole workbook, then save every changed figure in one transaction. Raises
    DeletionsNotConfirmed, writing nothing, when it would blank stored values and
    `allow_deletions` is not set."""
    path = Path(path)
    data = read_workbook(path, MONITORING_SHEETS, progress)
    data.raise_if_malformed()
    year, month = _round_of(data, path.name)
    with db.session() as session:
        rnd = find_round(session, year, month)
        _refuse_closed(rnd.status, year, month)
        current = {row.project_code: row for row in load_rows(session, [rnd.id], rules)}
    parsed = parse_file(data, current, year, month)
    problems = [*data.problems, *parsed.problems, *_checked(parsed, current)]
    _raise_if_blocking(problems, path.name)
    changes = {
        code: edit
        for code, planned in parsed.projects.items()
        if (edit := changed_edit(current[code], planned.edit)) is not None
    }
    found = kept.losses(changes, current)
    _raise_if_blocking(problems + kept.blocking(found), path.name)
    require_confirmation(path.name, found, allow_deletions)
    backup = _write(db, year, month, path.name, len(parsed.projects), changes) if changes else None
    warnings = [p for p in problems if not p.blocking]
    warnings += _missing_reasons(db, year, month, rules, parsed)
    return ImportSummary(
        file_name=path.name,
        year=year,
        month=month,
        projects=len(parsed.projects),
        changed_projects=len(changes),
        changed_indicators=sum(len(edit.indicators) for edit in changes.values()),
        warnings=tuple(_in_order(warnings)),
        backup=backup,
        losses=tuple(str(loss) for loss in found),
    )


def _raise_if_blocking(problems: list[Problem], file_name: str) -> None:
    blocking = [p for p in problems if p.blocking]
    if blocking:
        summary = f"文件“{file_name}”有 {len(blocking)} 个问题，未导入任何数据："
        raise ValidationFailed(_in_order(problems), summary)


def _refuse_closed(status: str, year: int, month: int) -> None:
    if status == CLOSED:
        raise UserError(f"{year}年{month}月监控轮次已关闭，不能再导入监控数据。")


def _round_of(data: Any, file_name: str) -> tuple[int, int]:
    """The round named by the 项目 sheet's 年度 and 监控月份 (the same on every row)."""
    sheet = data[PROJECTS]
    rounds = {
        (row["year"], row["month"])
        for row in sheet.rows
        if row["year"] is not None and row["month"] is not None
    }
    if len(rounds) == 1:
        return rounds.pop()
    problems = list(data.problems)
    if not rounds:
        problems.append(Problem("没有可导入的项目行（年度、监控月份为空）", PROJECTS))
    else:
        names = "、".join(f"{y}年{m}月" for y, m in sorted(rounds))
        message = f"年度和监控月份应全表一致，本表含多个轮次：{names}；请每轮分别导入"
        problems.append(Problem(message, PROJECTS, column="监控月份"))
    raise ValidationFailed(_in_order(problems), f"文件“{file_name}”有问题，未导入任何数据：")


# update_entry names its money columns without the unit the sheet shows.
_MONEY_HEADERS = {
    "调整后预算": PROJECT_SHEET.column("adjusted_budget").header,
    "执行数": PROJECT_SHEET.column("spent").header,
}


def _checked(parsed: ParsedFile, current: dict[str, ProjectMonitoringRow]) -> Iterator[Problem]:
    """update_entry's checks, located at the row (and column) they are about."""
    for code, planned in parsed.projects.items():
        indicators = current[code].indicators
        known = {i.indicator_id: (i.name, i.comparator or Comparator.GE) for i in indicators}
        for p in check_money(code, planned.edit):
            column = _MONEY_HEADERS.get(p.column, p.column)
            yield replace(p, sheet=PROJECTS, row=planned.row, column=column)
        for item in planned.edit.indicators:
            for p in check_indicator(code, item, known):
                column = p.column or "当前完成值"
                row = planned.indicator_rows[item.indicator_id]
                yield replace(p, sheet=INDICATORS, row=row, column=column)


def _in_order(problems: list[Problem]) -> list[Problem]:
    sheets = {PROJECTS: 0, INDICATORS: 1}
    return sorted(problems, key=lambda p: (sheets.get(p.sheet, -1), p.row or 0))


IMPORT_ENTRY_ACTION = "导入修改监控数据"  # per changed entry; the summary is "import"


def _write(
    db: Database, year: int, month: int, file_name: str, read: int, changes: dict[str, EntryEdit]
) -> Path:
    """Apply the changed entries after a backup; audit each changed entry (its changed
    fields only) and the import once, with counts, the codes changed and the backup."""
    backup = backup_before(db, "import")
    with db.transaction() as session:
        rnd = find_round(session, year, month)
        _refuse_closed(rnd.status, year, month)  # closed since the file was checked
        entries = session.scalars(
            select(MonitoringEntry)
            .where(MonitoringEntry.round_id == rnd.id)
            .where(MonitoringEntry.project.has(Project.code.in_(list(changes))))
            .options(
                selectinload(MonitoringEntry.indicators).selectinload(
                    MonitoringIndicator.indicator
                ),
                selectinload(MonitoringEntry.project),
            )
        )
        by_code = {entry.project.code: entry for entry in entries}
        changed = [
            code
            for code, edit in changes.items()
            if apply_edit(
                session, by_code[code], edit, f"{year}年{month}月 项目 {code}", IMPORT_ENTRY_ACTION
            )
        ]
        summary = {
            "年度": year,
            "月份": month,
            "读取项目数": read,
            "修改项目数": len(changed),
            "修改指标数": sum(len(changes[code].indicators) for code in changed),
            "修改": changed,
            "备份": str(backup),
        }
        label = f"{year}年{month}月绩效监控 导入“{file_name}”"
        audit.record(session, "import", audit.MONITORING_ROUND, rnd.id, label, after=summary)
    return backup


def _missing_reasons(
    db: Database, year: int, month: int, rules: RuleSet, parsed: ParsedFile
) -> list[Problem]:
    """Red and yellow lamps (budget, indicators) of the imported projects without 偏差原因."""
    with db.session() as session:
        rnd = find_round(session, year, month)
        rows = [r for r in load_rows(session, [rnd.id], rules) if r.project_code in parsed.projects]
    problems = []
    for row in rows:
        planned = parsed.projects[row.project_code]
        if row.budget_lamp in _NEED_REASON and not _explained(
            row.budget_deviation_category, row.budget_deviation_reason
        ):
            message = (
                f"项目 {row.project_code} 预算执行为{row.budget_lamp.label}，"
                "关闭本轮监控前须填写预算偏差原因类别和预算偏差原因"
            )
            column = PROJECT_SHEET.column("budget_deviation_reason").header
            problems.append(Problem(message, PROJECTS, planned.row, column, blocking=False))
        located = planned.indicator_rows
        for item in row.indicators:
            if item.lamp not in _NEED_REASON or item.indicator_id not in located:
                continue
            if _explained(item.deviation_category, item.deviation_reason):
                continue
            message = (
                f"项目 {row.project_code} 指标“{item.name}”为{item.lamp.label}，"
                "关闭本轮监控前须填写偏差原因类别和偏差原因"
            )
            sheet_row = located[item.indicator_id]
            problems.append(Problem(message, INDICATORS, sheet_row, "偏差原因", blocking=False))
    return problems


_NEED_REASON = (Lamp.RED, Lamp.YELLOW)


def _explained(category: str, reason: str) -> bool:
    return bool(category and reason.strip())
