"""The rule set of each fiscal year, kept in the database as TOML text.

`rules_for_year(db, year)` is THE way to get rules: every GUI page and CLI command asks it
(the CLI's `--rules FILE` overrides it for one run). A year keeps the rules it was managed
and scored under: saving next year's rules never touches last year's row, so last year's
scores, grades and lamps stay as they were. A new year starts from a copy of the latest
earlier year's text (`freeze_rules`, called where years are created); a year without a row
of its own (a database built before years carried rules, or a year not created yet) reads
the latest earlier year's rules, else the shipped default.

A rule file (TOML) is still the way to share rules between counties: `import_rules_file`,
`export_rules_file`. Services that score, light lamps or check goals take the rule set as a
parameter and never pick one themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.atomic import atomic_path
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.rules import RuleSet, rule_set_from_dict
from app.paths import default_rules_path
from app.services.common import audit, live
from app.storage.database import Database
from app.storage.models import FiscalYear, YearRules

BROKEN_RULES = "{year} 年度的规则集不能使用，请在“设置 → 规则集”中修改或导入规则集文件："
RULES_FIELD = "规则集"


@dataclass(frozen=True)
class YearRulesText:
    """A year's rule text and where it comes from."""

    year: int | None  # None: the newest year in the database (or none at all)
    text: str
    source_year: int | None  # the year whose stored text this is; None: the shipped default

    @property
    def own(self) -> bool:
        """Whether the year has rules of its own (else an earlier year's or the default)."""
        return self.year is not None and self.source_year == self.year


def parse_rules(text: str, source: str = "规则集") -> RuleSet:
    """Validate rule text; raises ValidationFailed naming every wrong key, in Chinese."""
    return _parse(text, source)


@lru_cache(maxsize=16)
def _parse(text: str, source: str) -> RuleSet:  # a failure is not cached
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed([Problem(f"{source}格式错误：{exc}")]) from exc
    return rule_set_from_dict(data, source)


def rules_text_for_year(db: Database, year: int | None) -> YearRulesText:
    with db.session() as session:
        return _text_for(session, year)


def _text_for(session: Session, year: int | None) -> YearRulesText:
    stmt = select(FiscalYear.year, YearRules.rules_toml).join(
        FiscalYear, FiscalYear.id == YearRules.year_id
    )
    if year is not None:
        stmt = stmt.where(live.year_at_most(year))
    found = session.execute(stmt.order_by(FiscalYear.year.desc()).limit(1)).first()
    if found is None:
        return YearRulesText(year, default_rules_text(), None)
    return YearRulesText(year, found[1], found[0])


def default_rules_text() -> str:
    return default_rules_path().read_text(encoding="utf-8")


def rules_for_year(db: Database, year: int | None) -> RuleSet:
    """The rules `year` is managed and scored under (None: the newest year's).

    Cheap enough to call on every use: parsed text is kept while it is unchanged.
    """
    stored = rules_text_for_year(db, year)
    try:
        return parse_rules(stored.text)
    except ValidationFailed as exc:
        shown = stored.source_year or year or ""
        raise ValidationFailed(exc.problems, BROKEN_RULES.format(year=shown)) from exc


def save_year_rules(db: Database, year: int, text: str, how: str = "修改") -> RuleSet:
    """Store `year`'s rules (checked first: nothing is saved while anything is wrong)."""
    rules = parse_rules(text, f"{year} 年度规则集")
    with db.transaction() as session:
        fiscal = live.fiscal_year(session, year)
        if fiscal is None:
            raise UserError(f"{year} 年度不存在，请先建立年度。")
        before = _text_for(session, year)
        if before.text == text:
            return rules
        _keep_followers(session, fiscal, before.text)
        row = session.get(YearRules, fiscal.id)
        if row is None:
            session.add(YearRules(year_id=fiscal.id, rules_toml=text))
        else:
            row.rules_toml = text
        session.flush()
        audit.record(
            session,
            "update",
            audit.SETTINGS,
            fiscal.id,
            f"{year} 年度规则集（{how}）",
            before={RULES_FIELD: parse_rules(before.text).name if _valid(before.text) else ""},
            after={RULES_FIELD: rules.name, "方式": how},
        )
    return rules


def _keep_followers(session: Session, fiscal: FiscalYear, text: str) -> None:
    """Later years without rules of their own read this year's: give them the text they
    read until now, so that changing one year never changes another."""
    later = session.execute(
        select(FiscalYear, YearRules.year_id)
        .outerjoin(YearRules, YearRules.year_id == FiscalYear.id)
        .where(live.year_after(fiscal.year))
        .order_by(FiscalYear.year)
    ).all()
    for follower, own in later:
        if own is not None:
            break  # from here on, years read that year's rules
        session.add(YearRules(year_id=follower.id, rules_toml=text))


def _valid(text: str) -> bool:
    try:
        parse_rules(text)
    except ValidationFailed:
        return False
    return True


def import_rules_file(db: Database, year: int, path: Path) -> RuleSet:
    """Use a rule file shared by another county (or the province) for `year`."""
    path = path.expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "不是 UTF-8 文字"
        raise UserError(f"无法读取规则集文件“{path}”：{reason}") from exc
    try:
        return save_year_rules(db, year, text, how=f"导入 {path.name}")
    except ValidationFailed as exc:
        summary = f"规则集文件“{path.name}”有 {len(exc.problems)} 个问题，{year} 年度规则集未改变："
        raise ValidationFailed(exc.problems, summary) from exc


def export_rules_file(db: Database, year: int, path: Path) -> Path:
    """Write `year`'s rules to a TOML file, to share or to keep."""
    path = path.expanduser()
    text = rules_text_for_year(db, year).text
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")
    return path


def freeze_rules(session: Session, fiscal: FiscalYear) -> None:
    """Give a new year a copy of the latest earlier year's rules (else the shipped default),
    so that later changes to that year never reach it."""
    if session.get(YearRules, fiscal.id) is None:
        text = _text_for(session, fiscal.year - 1).text
        session.add(YearRules(year_id=fiscal.id, rules_toml=text))
