"""Each Excel workbook the pages offer, as ImportKind / ExportJob for import_flow.

Only plain calls of the services and the Chinese sentences that describe their results;
the pages say which year, round and department (scope) a button means. Each factory imports
its service when a button is used: they pull in openpyxl, which start-up must not load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.widgets.import_flow import ExportJob, ImportKind, ImportReport, safe_file_name
from app.ui.widgets.problem_table import ChangeLine

if TYPE_CHECKING:
    from app.domain.progress import Progress
    from app.domain.rules import RuleSet
    from app.services.evaluation.workbook import SelfEvalExport, SelfEvalImport
    from app.services.goals.workbook import ExportResult, ImportResult
    from app.services.library.workbook import LibraryImportResult
    from app.services.monitoring.workbook import ExportSummary, ImportSummary
    from app.services.results.workbook import ResultsExport
    from app.storage.database import Database

ALL_UNITS = "全部单位"


@dataclass(frozen=True)
class Scope:
    """The department a page has selected (its code, for the services), or every one."""

    code: str | None = None
    name: str = ALL_UNITS


def _backup_note(path: Path | None) -> tuple[str, ...]:
    return (f"导入前已自动备份数据库：{path}",) if path else ()


# -- 绩效目标 ------------------------------------------------------------------------------
def goals_import(db: Database, rules: RuleSet, year: int) -> ImportKind:
    from app.services.goals.workbook import export_problems, import_goals

    def run(path: Path, progress: Progress, allow_deletions: bool = False) -> ImportResult:
        return import_goals(
            db, path, rules, year=year, allow_deletions=allow_deletions, progress=progress
        )

    return ImportKind(
        "导入绩效目标",
        run,
        goals_report,
        export_problems=export_problems,
        confirmed=lambda path, progress: run(path, progress, allow_deletions=True),
    )


def goals_report(result: ImportResult) -> ImportReport:
    lines = tuple(
        ChangeLine(o.outcome.value, o.label, o.name, o.reason)
        for o in (*result.added, *result.changed, *result.left_alone)
    )
    notes = list(_backup_note(result.backup_path))
    if result.departments_added:
        notes.append("新建单位：" + "、".join(result.departments_added))
    if result.year_created:
        notes.append(f"已新建 {result.year} 年度。")
    notes += [f"已删除或清空：{loss}" for loss in result.losses]
    return ImportReport(
        result.describe(), result.wrote_anything, lines, result.warnings, tuple(notes)
    )


def goals_export(db: Database, year: int, scope: Scope, *, blank: bool = False) -> ExportJob:
    from app.services.goals.workbook import export_goals

    what = "绩效目标空白模板" if blank else "绩效目标"

    def describe(result: ExportResult) -> str:
        if result.blank:
            units = result.departments
            return f"已导出 {year} 年绩效目标空白模板（{scope.name}，{units} 个单位）。"
        return (
            f"已导出 {year} 年绩效目标（{scope.name}）：{result.departments} 个单位、"
            f"{result.projects} 个项目、{result.indicators} 条指标。"
        )

    return ExportJob(
        f"导出{what}",
        safe_file_name(what, year, scope.name),
        lambda path, progress: export_goals(db, path, year, scope.code, blank, progress),
        describe,
    )


# -- 指标库 --------------------------------------------------------------------------------
def library_import(db: Database, rules: RuleSet) -> ImportKind:
    from app.services.library.workbook import import_library

    def report(result: LibraryImportResult) -> ImportReport:
        lines = tuple(ChangeLine("新增", "指标", name) for name in result.added) + tuple(
            ChangeLine("修改", "指标", name) for name in result.changed
        )
        changed = bool(result.added or result.changed)
        notes = _backup_note(result.backup_path)
        return ImportReport(result.describe(), changed, lines, result.warnings, notes)

    return ImportKind(
        "导入指标库", lambda path, progress: import_library(db, path, rules, progress), report
    )


def library_export(db: Database) -> ExportJob:
    from app.services.library.workbook import export_library

    return ExportJob(
        "导出指标库",
        safe_file_name("指标库"),
        lambda path, progress: export_library(db, path, progress),
        lambda count: f"已导出指标库，共 {count} 条指标。",
    )


# -- 绩效监控 ------------------------------------------------------------------------------
def monitoring_import(db: Database, rules: RuleSet) -> ImportKind:
    from app.services.monitoring.workbook import import_monitoring_workbook

    def report(s: ImportSummary) -> ImportReport:
        round_name = f"{s.year}年{s.month}月监控"
        if s.changed_projects:
            headline = (
                f"{round_name}：读取 {s.projects} 个项目，更新 {s.changed_projects} 个项目、"
                f"{s.changed_indicators} 条指标，其余 {s.projects - s.changed_projects} 个未变"
            )
        else:
            headline = f"{round_name}：读取 {s.projects} 个项目，全部与系统中一致"
        if s.warnings:
            headline += f"；提示 {len(s.warnings)} 条"
        changed = s.changed_projects > 0
        notes = (*_backup_note(s.backup), *(f"已清空：{loss}" for loss in s.losses))
        return ImportReport(headline, changed, (), s.warnings, notes)

    return ImportKind(
        "导入监控表",
        lambda path, progress: import_monitoring_workbook(db, path, rules, progress=progress),
        report,
        confirmed=lambda path, progress: import_monitoring_workbook(
            db, path, rules, progress=progress, allow_deletions=True
        ),
    )


def monitoring_export(
    db: Database, rules: RuleSet, year: int, month: int, scope: Scope
) -> ExportJob:
    from app.services.monitoring.workbook import export_monitoring_workbook

    def describe(s: ExportSummary) -> str:
        return (
            f"已导出 {year}年{month}月监控表（{scope.name}）：{s.projects} 个项目、"
            f"{s.indicators} 条指标。"
        )

    return ExportJob(
        "导出监控表",
        safe_file_name("绩效监控", f"{year}年{month}月", scope.name),
        lambda path, progress: export_monitoring_workbook(
            db, year, month, path, rules, department=scope.code, progress=progress
        ),
        describe,
    )


# -- 绩效自评 ------------------------------------------------------------------------------
def selfeval_import(db: Database) -> ImportKind:
    from app.services.evaluation.workbook import import_selfeval

    def report(s: SelfEvalImport) -> ImportReport:
        headline = (
            f"绩效自评：新增 {s.created} 份，修改 {s.updated} 份，未变 {s.unchanged} 份"
            f"（共读取指标 {s.indicators} 行）"
        )
        if s.warnings:
            headline += f"；提示 {len(s.warnings)} 条"
        notes = list(_backup_note(s.backup))
        if s.mismatches:
            notes.append(
                f"有 {s.mismatches} 行的年度指标值或分值与批复的绩效目标不一致，已作为疑点标记。"
            )
        notes += [f"已清空：{loss}" for loss in s.losses]
        changed = bool(s.created or s.updated)
        return ImportReport(headline, changed, (), s.warnings, tuple(notes))

    return ImportKind(
        "导入自评表",
        lambda path, progress: import_selfeval(db, path, progress),
        report,
        confirmed=lambda path, progress: import_selfeval(db, path, progress, allow_deletions=True),
    )


def selfeval_export(db: Database, year: int, scope: Scope) -> ExportJob:
    from app.services.evaluation.workbook import export_selfeval

    def describe(s: SelfEvalExport) -> str:
        text = (
            f"已导出 {year} 年自评表（{scope.name}）：{s.projects} 个项目、{s.indicators} 条指标。"
        )
        if s.without_goal:
            text += f"另有 {s.without_goal} 个项目的绩效目标尚未批复，未列入。"
        return text

    return ExportJob(
        "导出自评表",
        safe_file_name("绩效自评", year, scope.name),
        lambda path, progress: export_selfeval(db, year, path, scope.code, progress),
        describe,
    )


# -- 结果应用 ------------------------------------------------------------------------------
def results_export(db: Database, year: int, scope: Scope) -> ExportJob:
    from app.services.results.workbook import export_results

    def describe(r: ResultsExport) -> str:
        return (
            f"已导出 {year} 年结果应用调整建议（{scope.name}）：{r.departments} 个单位、"
            f"{r.projects} 个项目。"
        )

    return ExportJob(
        "导出调整建议",
        safe_file_name("结果应用调整建议", year, scope.name),
        lambda path, progress: export_results(db, year, path, scope.code, progress),
        describe,
    )
