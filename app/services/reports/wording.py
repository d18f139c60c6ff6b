"""The annual report's wording per year, kept in the database and edited in the app.

A year prints its own wording when it has one, else the shipped wording; last year's text
is only ever offered as a start (`previous_wording`), never used silently. The CLI's
`report --templates FILE` still overrides the wording for one run.

The wording is the TOML text of resources/reports/annual_report.toml; the editor shows each
paragraph template as a section (`sections`) and writes the edited ones back with tomlkit,
so headings, comments and every other key stay as written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tomlkit
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.rules import RuleSet
from app.services.common import audit, live
from app.services.reports.annual_values import KNOWN
from app.services.reports.templates import (
    Templates,
    bundled_template_path,
    check_names,
    fill,
    with_shipped_keys,
)
from app.storage.database import Database
from app.storage.models import FiscalYear, YearWording

WORDING_FIELD = "报告文字"


@dataclass(frozen=True)
class Section:
    key: str  # "basic.goals.text", "problems.items[2]"
    text: str
    label: str = ""  # "强化绩效目标管理 · 正文", as the editor lists it


# What each kind of template is, for the editor's list of sections.
PART_LABELS = {
    "title": "标题", "recipient": "主送机关", "intro": "开头", "heading": "标题",
    "text": "正文", "missing": "尚无数据时", "pending": "尚未审核的目标",
    "sample": "抽查", "review": "复核结果", "review_missing": "尚未复核时",
    "sample_missing": "尚未抽查时", "none": "各条均略去时",
}  # fmt: skip
# Tables without a heading of their own.
TABLE_LABELS = {
    "report.": "报告",
    "basic.key_evaluation.": "财政重点评价",
    "basic.rectification.": "整改",
}


@dataclass(frozen=True)
class YearWordingText:
    year: int
    text: str
    own: bool  # False: the shipped wording


def shipped_wording() -> str:
    return bundled_template_path().read_text(encoding="utf-8")


def wording_for_year(db: Database, year: int) -> YearWordingText:
    with db.session() as session:
        stored = _stored(session, year)
    if stored is None:
        return YearWordingText(year, shipped_wording(), False)
    _parse(stored, f"{year} 年度报告文字")  # a damaged text is named before it is completed
    return YearWordingText(year, with_shipped_keys(stored), True)


def _stored(session: Session, year: int) -> str | None:
    return session.scalar(
        select(YearWording.annual_report_toml).where(live.in_year(YearWording, year))
    )


def previous_wording(db: Database, year: int) -> YearWordingText | None:
    """The latest earlier year's own wording, offered as a start ("从上一年度复制")."""
    with db.session() as session:
        found = session.execute(
            select(FiscalYear.year, YearWording.annual_report_toml)
            .join(FiscalYear, FiscalYear.id == YearWording.year_id)
            .where(live.year_before(year))
            .order_by(FiscalYear.year.desc())
            .limit(1)
        ).first()
    if found is None:
        return None
    return YearWordingText(found[0], with_shipped_keys(found[1]), True)


def templates_for_year(db: Database, year: int) -> Templates:
    """What the annual report of `year` is written with."""
    stored = wording_for_year(db, year)
    source = f"{year} 年度报告文字" if stored.own else str(bundled_template_path())
    return Templates(_parse(stored.text, source), source)


def sections(text: str) -> list[Section]:
    """Every paragraph template of the wording, in the order of the file."""
    found: list[Section] = []
    _walk(_parse(text, "报告文字"), "", found)
    return found


def _walk(node: Mapping[str, Any], prefix: str, found: list[Section]) -> None:
    heading = node.get("heading")
    place = heading if isinstance(heading, str) else TABLE_LABELS.get(prefix, prefix.rstrip("."))
    for name, value in node.items():
        key = f"{prefix}{name}"
        if isinstance(value, str):
            found.append(Section(key, value, f"{place} · {PART_LABELS.get(name, name)}"))
        elif isinstance(value, Mapping):
            _walk(value, key + ".", found)
        elif name == "items" and isinstance(value, list):
            for i, item in enumerate(value, start=1):
                if isinstance(item, Mapping) and isinstance(item.get("text"), str):
                    found.append(Section(f"{key}[{i}]", item["text"], f"{place} · 第{i}条"))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{source}格式有误：{exc}") from exc


def placeholder_names() -> list[tuple[str, str]]:
    """Every placeholder a template may use with what it prints, in the order of the
    shipped file's "可用占位符" comment (the one place they are described)."""
    described = _described_placeholders()
    named = [(name, described[name]) for name in described if name in KNOWN]
    return named + [(name, "") for name in sorted(KNOWN - set(described))]


def _described_placeholders() -> dict[str, str]:
    """Parse "#   目标：project_count 项目数，project_goal_amount 其金额，…" lines."""
    found: dict[str, str] = {}
    for line in shipped_wording().splitlines():
        if not line.startswith("#   ") and not line.startswith("#         "):
            continue
        body = line.lstrip("# ").split("：", 1)[-1]
        for piece in body.replace("，", ",").split(","):
            words = piece.strip().split(" ")
            names = [w for w in words if w.isascii() and w not in ("", "/")]
            text = " ".join(w for w in words if not w.isascii())
            for name in names:
                found[name] = text
    return found


def check_sections(edited: Mapping[str, str]) -> list[Problem]:
    """One located problem per section with unbalanced braces or an unknown placeholder."""
    problems = []
    for key, text in edited.items():
        try:
            check_names(text, key, KNOWN)
        except UserError as exc:
            problems.append(Problem(exc.message))
    return problems


def preview(text: str, key: str, values: Mapping[str, str]) -> str:
    """A section filled with this year's figures; a figure the year has no data for yet is
    shown as 【无数据：name】 so the clerk sees where the report would leave it out."""
    names = check_names(text, key, KNOWN)
    shown = {n: values.get(n, f"【无数据：{n}】") for n in names}
    return fill(text, key, shown)


def year_values(db: Database, year: int, rules: RuleSet) -> dict[str, str]:
    """This year's figures as the report prints them (for the preview)."""
    from app.services.reports.annual_data import annual_report_data
    from app.services.reports.annual_values import placeholder_values

    return placeholder_values(annual_report_data(db, year, rules))


def with_sections(text: str, edited: Mapping[str, str]) -> str:
    """The wording with the edited sections written in, everything else as it was."""
    doc = tomlkit.parse(text)
    for key, value in edited.items():
        path, _, index = key.partition("[")
        node: Any = doc
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[part]
        if index:
            node[parts[-1]][int(index.rstrip("]")) - 1]["text"] = value
        else:
            node[parts[-1]] = value
    return tomlkit.dumps(doc)


def save_wording(db: Database, year: int, text: str, how: str = "修改") -> None:
    """Store `year`'s wording (checked first: nothing is saved while a section is wrong)."""
    problems = check_sections({s.key: s.text for s in sections(text)})
    if problems:
        raise ValidationFailed(problems, f"{year} 年度报告文字有 {len(problems)} 处错误：")
    with db.transaction() as session:
        fiscal = live.fiscal_year(session, year)
        if fiscal is None:
            raise UserError(f"{year} 年度不存在，请先建立年度。")
        row = session.get(YearWording, fiscal.id)
        if row is not None and row.annual_report_toml == text:
            return
        old = row.annual_report_toml if row is not None else shipped_wording()
        before = {s.key: s.text for s in sections(old)}
        after = {s.key: s.text for s in sections(text)}
        changed = sorted(k for k in after if before.get(k) != after[k])
        if row is None:
            session.add(YearWording(year_id=fiscal.id, annual_report_toml=text))
        else:
            row.annual_report_toml = text
        session.flush()
        audit.record(
            session,
            "update",
            audit.SETTINGS,
            fiscal.id,
            f"{year} 年度报告文字（{how}）",
            before={k: before.get(k, "") for k in changed} or None,
            after={k: after[k] for k in changed} or {WORDING_FIELD: how},
        )
