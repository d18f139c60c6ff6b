"""What an import would blank or delete of stored data, listed before anything is written.

A missing (or renamed) optional column never blanks anything: the services keep the stored
values. What remains is an explicit edit — a cell emptied, an indicator row removed — and
those are listed by project; the import writes them only once the user has confirmed the
list (GUI: a question; CLI: --allow-deletions). So many that it looks like an accident (an
emptied 指标 sheet, a column cleared for many projects) blocks the import however confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import DeletionsNotConfirmed, Problem

MAX_DELETED_INDICATORS = 10  # in one import
MAX_BLANKED_OWNERS = 5  # projects whose same field one import may blank
MAX_BLANKED_PLACES = 10  # and places (an indicator's field counts once per indicator)
INDICATOR = "指标"
_SHOWN = 30  # characters of a blanked value shown in the list


@dataclass(frozen=True)
class Loss:
    owner: str  # "项目 219001001（校舍维修）"
    field: str  # INDICATOR for a deleted indicator, else the column header
    detail: str  # the indicator's name, or the value that would be blanked
    sheet: str = ""  # where the field is written, for a blocking problem
    indicator: str = ""  # the indicator whose field would be blanked

    def __str__(self) -> str:
        if self.field == INDICATOR:
            return f"{self.owner}：删除指标“{self.detail}”"
        shown = self.detail if len(self.detail) <= _SHOWN else self.detail[:_SHOWN] + "…"
        where = f"{self.owner} 指标“{self.indicator}”" if self.indicator else self.owner
        return f"{where}：清空“{self.field}”（原为“{shown}”）"


def blanked(
    owner: str, field: str, before: object, after: object, sheet: str = "", indicator: str = ""
) -> list[Loss]:
    """One loss when a stored, non-blank value would become blank."""
    if _blank(before) or not _blank(after):
        return []
    return [Loss(owner, field, str(before), sheet, indicator)]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def too_many(losses: Sequence[Loss], sheet: str, indicator_column: str = "") -> list[Problem]:
    """Blocking problems, with the counts, when the losses look like an accident."""
    problems = []
    deleted = [loss for loss in losses if loss.field == INDICATOR]
    if len(deleted) > MAX_DELETED_INDICATORS:
        owners = len({loss.owner for loss in deleted})
        problems.append(
            Problem(
                f"导入将删除 {owners} 个项目的 {len(deleted)} 个已保存指标（一次最多 "
                f"{MAX_DELETED_INDICATORS} 个），可能是误删了指标行；"
                "请核对文件，确需删除的请在系统中逐个删除或分批导入",
                sheet,
                column=indicator_column,
            )
        )
    by_field: dict[tuple[str, str], list[Loss]] = {}
    for loss in losses:
        if loss.field != INDICATOR:
            by_field.setdefault((loss.sheet, loss.field), []).append(loss)
    for (field_sheet, field), found in by_field.items():
        owners = len({loss.owner for loss in found})
        if owners > MAX_BLANKED_OWNERS or len(found) > MAX_BLANKED_PLACES:
            problems.append(
                Problem(
                    f"导入将清空 {owners} 个项目共 {len(found)} 处已保存的“{field}”（一次最多 "
                    f"{MAX_BLANKED_OWNERS} 个项目、{MAX_BLANKED_PLACES} 处），"
                    "可能是误清了整列；请核对文件",
                    field_sheet or sheet,
                    column=field,
                )
            )
    return problems


def require_confirmation(file_name: str, losses: Sequence[Loss], allowed: bool) -> None:
    if losses and not allowed:
        raise DeletionsNotConfirmed(file_name, [str(loss) for loss in losses])
