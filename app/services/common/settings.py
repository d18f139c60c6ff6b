"""设置: this seat's operator, the backup policy and a summary of a year's rule set.

Settings live in the database's `settings` table, so they travel with the county's data
(a backup restores them too); the operator's name is the seat's own (services.setup.
operator), only listed there for the other seats to offer. Every change writes an audit
entry.

The rules themselves are kept per fiscal year: see app/services/common/year_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.errors import UserError, ValidationFailed
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.common import audit
from app.services.common.backups import RotationPolicy
from app.services.common.backups import backup_policy as backup_policy
from app.services.common.backups import set_backup_policy as set_backup_policy
from app.services.common.year_rules import parse_rules, rules_text_for_year
from app.services.setup import operator
from app.storage.database import Database

MAX_DISPLAY_NAME = operator.MAX_NAME
# Audit field names shown as they are in the 操作日志 (audit_log.FIELD_LABELS lacks them).
NAME_FIELD = "操作人员姓名"

__all__ = [
    "OperatorSettings",
    "RotationPolicy",
    "RuleSetSummary",
    "backup_policy",
    "operator_settings",
    "report_fonts",
    "rule_set_summary",
    "set_backup_policy",
    "set_display_name",
]


@dataclass(frozen=True)
class OperatorSettings:
    display_name: str  # may be empty
    os_user: str  # the Windows / OS account, always recorded in the audit trail
    actor: str  # what review boxes and the audit trail show (services.setup.operator)


def operator_settings(db: Database) -> OperatorSettings:
    with db.session() as session:
        return OperatorSettings(operator.chosen(), audit.os_user(), audit.actor(session))


def set_display_name(db: Database, name: str) -> OperatorSettings:
    """This seat works as `name` from now on (the GUI keeps it in the seat's preferences,
    never in the shared database); the change is audited and the name offered to the other
    seats' sign-in. Never the OS login."""
    before = operator.chosen()
    name = operator.choose(name)  # first: the change itself is recorded under the new name
    if name != before:
        try:
            with db.transaction() as session:
                operator.remember_operator(session, name)
                audit.record(
                    session, "update", "settings", label="操作人员姓名",
                    before={NAME_FIELD: before}, after={NAME_FIELD: name},
                )  # fmt: skip
        except UserError:  # e.g. a database opened read-only: nothing changes
            operator.choose(before)
            raise
    return operator_settings(db)


# -- rule set (kept per year: app/services/common/year_rules.py) ---------------------------
@dataclass(frozen=True)
class RuleSetSummary:
    """The main figures of a year's rule set, as the 设置 → 规则集 tab shows them."""

    year: int | None
    source_year: int | None  # whose stored rules the year reads; None: the shipped default
    name: str
    problem: str  # why the file could not be read; the figures are empty then
    weights: tuple[tuple[str, Decimal], ...]  # 预算执行率 and each first-level indicator
    total_points: Decimal | None
    grade_bands: tuple[tuple[str, str], ...]  # (grade, "90 分及以上")
    budget_lamps: tuple[tuple[str, str], ...]  # (lamp, condition)
    indicator_lamps: tuple[tuple[str, str], ...]
    sampling_ratio: Decimal | None
    sampling_min_per_section: int | None
    months: tuple[int, ...] = ()  # monitoring rounds


def rule_set_summary(db: Database, year: int | None) -> RuleSetSummary:
    stored = rules_text_for_year(db, year)
    source = stored.source_year
    try:
        rules = parse_rules(stored.text)
    except ValidationFailed as exc:
        problem = "；".join(str(p) for p in exc.problems)
        return RuleSetSummary(year, source, "", problem, (), None, (), (), (), None, None)
    goals = rules.goals
    level1 = [(l1.name, l1.points) for l1 in goals.level1]
    weights = (("预算执行率", goals.execution_points), *level1)
    return RuleSetSummary(
        year=year,
        source_year=source,
        name=rules.name,
        problem="",
        weights=weights,
        total_points=goals.total_points,
        grade_bands=_grade_bands(rules),
        budget_lamps=_budget_lamps(rules),
        indicator_lamps=_indicator_lamps(rules),
        sampling_ratio=rules.sampling.ratio,
        sampling_min_per_section=rules.sampling.min_per_section,
        months=rules.monitoring.months,
    )


def _grade_bands(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    bands = []
    ceiling: Decimal | None = None
    for grade, floor in rules.grade_floors:
        if ceiling is None:
            text = f"{plain(floor)} 分及以上"
        else:
            text = f"{plain(floor)} 分至不足 {plain(ceiling)} 分"
        bands.append((grade.value, text))
        ceiling = floor
    return tuple(bands)


def _budget_lamps(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    m = rules.monitoring
    if m.budget_rule == "gap":
        points = plain(m.budget_gap_points)
        return (
            ("红灯", f"执行进度落后序时进度超过 {points} 个百分点"),
            ("绿灯", f"落后不超过 {points} 个百分点"),
        )
    red, yellow = _percent(m.budget_ratio_red), _percent(m.budget_ratio_yellow)
    return (
        ("红灯", f"执行率不足序时进度的 {red}"),
        ("黄灯", f"执行率为序时进度的 {red} 至不足 {yellow}"),
        ("绿灯", f"执行率达到序时进度的 {yellow} 及以上"),
    )


def _indicator_lamps(rules: RuleSet) -> tuple[tuple[str, str], ...]:
    m = rules.monitoring
    red, yellow = _percent(m.indicator_red), _percent(m.indicator_yellow)
    blue = _percent(m.indicator_blue)
    return (
        ("红灯", f"完成值不足序时目标的 {red}"),
        ("黄灯", f"完成值为序时目标的 {red} 至不足 {yellow}"),
        ("绿灯", f"完成值为序时目标的 {yellow} 至不足 {blue}"),
        ("蓝灯", f"完成值达到序时目标的 {blue} 及以上（目标可能偏低）"),
    )


def _percent(ratio: Decimal) -> str:
    return plain(ratio * 100) + "%"


def report_fonts() -> list[str]:
    """The fonts reports will embed, one Chinese line per role (for the 关于 dialog)."""
    from app.reports.fonts import font_report  # looks through the system's fonts: on demand

    return font_report()
