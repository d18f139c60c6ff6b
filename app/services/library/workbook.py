"""The indicator library (指标库) as an Excel workbook: export all of it, import two-phase.

Same rules as the goals workbook: every problem is located and nothing is saved when one
blocks; then one transaction after an automatic backup. An entry is identified by 行业 +
一级 + 二级 + 三级: a known one is updated (性质, 单位, 解释), a new one is added as
自定义; the import never deletes entries, and an unchanged file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from app.domain.enums import Comparator
from app.domain.errors import Problem, ValidationFailed
from app.domain.indicator_values import canonical_level, normalize_name, parse_comparator
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.rules import RuleSet, load_rule_set
from app.paths import default_rules_path
from app.services.common import audit, jobs
from app.services.common.backups import backup_before
from app.spreadsheet import SheetContent, SheetRow, read_workbook, write_workbook
from app.spreadsheet.library_sheets import LIBRARY, LIBRARY_SHEET, SOURCE_LABELS
from app.storage import joblock
from app.storage.database import Database
from app.storage.models import LibraryIndicator

DEFAULT_FIELD = "通用"
LIMITS = (
    ("行业", "field", 30),
    ("一级指标", "level1", 20),
    ("二级指标", "level2", 30),
    ("三级指标", "name", 200),
    ("计量单位", "unit", 30),
)
Key = tuple[str, str, str, str]  # field, level1, level2, name


@dataclass(frozen=True)
class LibraryImportResult:
    file_name: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: int
    warnings: tuple[Problem, ...]
    backup_path: Path | None = None

    def describe(self) -> str:
        text = (
            f"指标库：新增 {len(self.added)} 个，修改 {len(self.changed)} 个，"
            f"未变 {self.unchanged} 个"
        )
        return text + (f"；提示 {len(self.warnings)} 条" if self.warnings else "")


def export_library(db: Database, path: str | Path, progress: Progress = NO_PROGRESS) -> int:
    """Write every library entry; returns how many."""
    order = (LibraryIndicator.field, LibraryIndicator.level1, LibraryIndicator.level2)
    stmt = select(LibraryIndicator).order_by(*order, LibraryIndicator.name)
    with db.session() as session:
        rows = [_export_row(e) for e in session.scalars(stmt)]
    write_workbook(path, [SheetContent(LIBRARY, rows)], progress=progress)
    return len(rows)


def _export_row(e: LibraryIndicator) -> dict[str, Any]:
    return {
        "field": e.field,
        "level1": e.level1,
        "level2": e.level2,
        "name": e.name,
        "comparator": e.comparator,
        "unit": e.unit or None,
        "explanation": e.explanation or None,
        "source": SOURCE_LABELS.get(e.source, e.source),
    }


@jobs.exclusive(joblock.IMPORT)
def import_library(
    db: Database,
    path: str | Path,
    rules: RuleSet | None = None,
    progress: Progress = NO_PROGRESS,
) -> LibraryImportResult:
    path = Path(path)
    rules = rules or load_rule_set(default_rules_path())
    data = read_workbook(path, [LIBRARY], progress)
    data.raise_if_malformed()
    sheet = data[LIBRARY_SHEET]
    problems = list(data.problems)
    entries: dict[Key, tuple[int, dict[str, Any]]] = {}
    for row in sheet.rows:
        entry = _entry(row, rules, problems)
        if entry is not None:
            key = (entry["field"], entry["level1"], entry["level2"], entry["name"])
            if key in entries:  # duplicates after tidying labels (数量 = 数量指标)
                message = f"与第{entries[key][0]}行是同一指标"
                problems.append(Problem(message, LIBRARY_SHEET, row.row, "三级指标"))
            entries.setdefault(key, (row.row, entry))
    if any(p.blocking for p in problems):
        raise ValidationFailed(problems, f"文件“{path.name}”有问题，未导入任何数据：")
    with db.session() as session:
        existing = {
            (e.field, e.level1, e.level2, e.name): e
            for e in session.scalars(select(LibraryIndicator))
        }
    added = [e for k, (_, e) in entries.items() if k not in existing]
    changed = [
        e | {"id": existing[k].id}
        for k, (_, e) in entries.items()
        if k in existing and _differs(existing[k], e)
    ]
    warnings = tuple(p for p in problems if not p.blocking)
    if not added and not changed:
        return LibraryImportResult(path.name, (), (), len(entries), warnings)
    backup_path = backup_before(db, "import")
    with db.transaction() as s:  # a cancel at any step inside rolls all of it back
        progress.step(0, 3, "正在写入新增指标")
        if added:
            s.execute(insert(LibraryIndicator), [e | {"source": "user"} for e in added])
        progress.step(1, 3, "正在更新已有指标")
        if changed:
            s.execute(update(LibraryIndicator), changed)
        progress.step(2, 3, "正在记录操作日志")
        new_names = tuple(e["name"] for e in added)
        changed_names = tuple(e["name"] for e in changed)
        after = {
            "文件": path.name,
            "新增": list(new_names),
            "修改": list(changed_names),
            "备份": backup_path.name,
        }
        audit.record(s, "导入指标库", audit.LIBRARY_INDICATOR, None, path.name, None, after)
    unchanged = len(entries) - len(added) - len(changed)
    return LibraryImportResult(
        path.name, new_names, changed_names, unchanged, warnings, backup_path
    )


def _differs(stored: LibraryIndicator, entry: dict[str, Any]) -> bool:
    stored_values = (stored.comparator, stored.unit, stored.explanation)
    return stored_values != (entry["comparator"], entry["unit"], entry["explanation"])


def _entry(row: SheetRow, rules: RuleSet, problems: list[Problem]) -> dict[str, Any] | None:
    """One row tidied; blocking problems for what cannot be stored or used."""

    def problem(message: str, column: str, blocking: bool = True) -> None:
        problems.append(Problem(message, LIBRARY_SHEET, row.row, column, blocking))

    values = {k: ("" if v is None else str(v).strip()) for k, v in row.values.items()}
    if not (values["level1"] and values["level2"] and values["name"]):
        return None  # a required cell is empty: the reader reported it
    level1 = canonical_level(values["level1"], [l1.name for l1 in rules.goals.level1])
    layout = next((l1.level2 for l1 in rules.goals.level1 if l1.name == level1), ())
    level2 = canonical_level(values["level2"], layout) if layout else None
    if level1 is None or level2 is None:
        problem("一级/二级指标不在当前规则集的指标体系中，仍按所填导入", "二级指标", False)
    entry = {
        "field": normalize_name(values["field"]) or DEFAULT_FIELD,
        "level1": level1 or normalize_name(values["level1"]),
        "level2": level2 or normalize_name(values["level2"]),
        "name": " ".join(values["name"].split()),
        "unit": normalize_name(values["unit"]),
        "explanation": values["explanation"],
    }
    comparator = parse_comparator(values["comparator"])
    if comparator is None:
        problem(f"无法识别的指标性质“{values['comparator']}”", "指标性质")
        return None
    entry["comparator"] = comparator.value
    if comparator is Comparator.QUALITATIVE and entry["unit"]:
        problem("定性指标不应填写计量单位", "计量单位")
    elif comparator is not Comparator.QUALITATIVE and not entry["unit"]:
        problem("定量指标缺少计量单位", "计量单位")
    for column, key, limit in LIMITS:
        if len(entry[key]) > limit:
            problem(f"{column}超过 {limit} 个字", column)
    return entry
