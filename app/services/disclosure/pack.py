"""公开 pack: per unit, the goal tables published with the budget and the self-evaluation
tables published with the final accounts, as one PDF and one Word file, plus an index.

Decisions:
- Only approved goals are published (a draft is not the budget's goal); the unit's
  部门整体 goal table comes first, then its projects in code order.
- Self-evaluation tables are the project tables scored by the rule set (the existing 自评表
  builder), for every project of the unit with a self-evaluation.
- Units with nothing to publish get no file and no record.
- All files go into one folder ``<year>年绩效信息公开``; the index (00_公开目录.pdf) lists
  each unit's file and table counts. The records are written after every file exists, in
  one transaction; a cancel removes this run's files and records nothing.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain.enums import GoalStatus, Scope
from app.domain.errors import UserError
from app.domain.progress import NO_PROGRESS, Cancelled, Progress
from app.domain.rules import RuleSet
from app.reports import Column, Document, Heading, PageBreak, Paragraph, Table
from app.reports.model import Block
from app.services.common import audit, live
from app.services.common.catalog import section_tree
from app.services.evaluation import load_evaluations
from app.services.evaluation.report import build_selfeval_table
from app.services.goals.report.data import department_goal_table_data, goal_book_data
from app.services.goals.report.doc import goal_table
from app.services.reports.common import render
from app.storage.database import Database
from app.storage.models import Department, DisclosureRecord

INDEX_NAME = "00_公开目录.pdf"


@dataclass(frozen=True)
class UnitPack:
    department_code: str
    department: str
    file_stem: str  # the .pdf and .docx share it
    goal_tables: int
    evaluation_tables: int


@dataclass(frozen=True)
class DisclosurePack:
    year: int
    folder: Path
    units: tuple[UnitPack, ...]
    skipped: int  # units with nothing to publish


def build_disclosure_pack(
    db: Database, year: int, folder: Path, rules: RuleSet, progress: Progress = NO_PROGRESS
) -> DisclosurePack:
    """Write every unit's pack and the index into `folder`/<year>年绩效信息公开."""
    target = folder / f"{year}年绩效信息公开"
    units = [(d.code, d.name) for s in section_tree(db) for d in s.departments]
    evaluated = _evaluated_projects(db, year)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    packs: list[UnitPack] = []
    try:
        for n, (code, name) in enumerate(units):
            progress.step(n, len(units) + 1, f"正在生成{name}的公开材料")
            document, goals, evaluations = _unit_document(db, year, code, name, evaluated, rules)
            if document is None:
                continue
            stem = _safe(f"{code}_{name}_{year}年绩效信息公开")
            for suffix in (".pdf", ".docx"):
                written.append(render(document, target / f"{stem}{suffix}"))
            packs.append(UnitPack(code, name, stem, goals, evaluations))
        if not packs:
            raise UserError(f"{year}年没有可公开的绩效目标表或绩效自评表。")
        progress.step(len(units), len(units) + 1, "正在生成公开目录")
        written.append(render(_index(year, packs), target / INDEX_NAME))
    except (Cancelled, UserError):
        for path in written:
            path.unlink(missing_ok=True)
        raise
    _record(db, year, target, packs)
    return DisclosurePack(year, target, tuple(packs), len(units) - len(packs))


def _evaluated_projects(db: Database, year: int) -> dict[str, list[tuple[str, str]]]:
    """Unit code → (project code, name) of the projects with a self-evaluation."""
    found: dict[str, list[tuple[str, str]]] = {}
    with db.session() as s:
        for e in load_evaluations(s, year=year, with_rows=False):
            if e.scope is Scope.PROJECT:
                found.setdefault(e.department_code, []).append((e.key, e.name))
    return found


def _unit_document(
    db: Database,
    year: int,
    code: str,
    name: str,
    evaluated: dict[str, list[tuple[str, str]]],
    rules: RuleSet,
) -> tuple[Document | None, int, int]:
    goals = []
    with suppress(UserError):  # no department-wide goal: only the projects
        goals.append(department_goal_table_data(db, year, code, rules))
    with suppress(UserError):  # no approved project goal
        goals += list(goal_book_data(db, year, rules, code, approved_only=True).goals)
    goals = [g for g in goals if g.status is GoalStatus.APPROVED]
    projects = sorted(evaluated.get(code, []))
    tables = [build_selfeval_table(db, year, p, rules) for p, _ in projects]
    if not goals and not tables:
        return None, 0, 0
    blocks: list[Block] = []
    if goals:
        blocks.append(Heading(1, "绩效目标（随部门预算公开）"))
        for g in goals:
            label = (
                f"{g.project_code} {g.project_name}"
                if g.scope is Scope.PROJECT
                else "部门整体支出绩效目标表"
            )
            blocks += [Heading(2, label), goal_table(g)]
    if tables:
        if blocks:
            blocks.append(PageBreak())
        blocks.append(Heading(1, "绩效自评结果（随部门决算公开）"))
        for (project, project_name), t in zip(projects, tables, strict=True):
            blocks += [Heading(2, f"{project} {project_name}"), *_demoted(t.blocks)]
    title = f"{name}{year}年度绩效信息公开"
    return Document(title=title, blocks=tuple(blocks)), len(goals), len(tables)


def _demoted(blocks: tuple[Block, ...]) -> list[Block]:
    """A table's own headings sit under the project's heading in the pack."""
    return [replace(b, level=min(b.level + 2, 4)) if isinstance(b, Heading) else b for b in blocks]


def _index(year: int, packs: list[UnitPack]) -> Document:
    rows = tuple(
        (str(n), p.department_code, p.department, str(p.goal_tables), str(p.evaluation_tables),
         p.file_stem)
        for n, p in enumerate(packs, 1)
    )  # fmt: skip
    heads = ("序号", "单位编码", "单位名称", "目标表", "自评表", "文件名（.pdf / .docx）")
    table = Table(tuple(Column(w) for w in (0.5, 1.0, 2.2, 0.7, 0.7, 4.0)), (heads,), rows)
    intro = Paragraph(
        f"本目录列出{year}年度各单位随预算公开的绩效目标表和随决算公开的绩效自评表，"
        f"共{len(packs)}个单位。"
    )
    return Document(title=f"{year}年度绩效信息公开目录", blocks=(intro, table))


def _record(db: Database, year: int, folder: Path, packs: list[UnitPack]) -> None:
    with db.transaction() as s:
        fy = live.fiscal_year(s, year)
        if fy is None:
            raise UserError(f"{year} 年度不存在。")
        ids = {c: i for c, i in s.execute(select(Department.code, Department.id))}
        now, actor = datetime.now().replace(microsecond=0), audit.actor(s)
        for p in packs:
            s.add(
                DisclosureRecord(
                    year_id=fy.id, department_id=ids[p.department_code], published_at=now,
                    actor=actor, file_name=f"{p.file_stem}.pdf", goal_tables=p.goal_tables,
                    evaluation_tables=p.evaluation_tables,
                )
            )  # fmt: skip
        audit.record(
            s, "生成公开材料", audit.DISCLOSURE, None, f"{year}年",
            after={"单位数": len(packs), "文件夹": str(folder),
                   "目标表": sum(p.goal_tables for p in packs),
                   "自评表": sum(p.evaluation_tables for p in packs)},
        )  # fmt: skip


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)
