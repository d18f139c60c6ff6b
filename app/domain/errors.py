"""Expected problems, kept apart from bugs.

A UserError carries a Chinese message that names the object at fault (file, sheet, row,
column, project code). Anything else that escapes is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class UserError(Exception):
    """A problem the user can fix: bad input, a locked file, a damaged or newer database."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One located problem found while checking input (an import, a goal, a rule file)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    blocking: bool = True

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}：{self.message}" if where else self.message


class ValidationFailed(UserError):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: Sequence[Problem], summary: str = "") -> None:
        self.problems = list(problems)
        lines = [summary or f"发现 {len(self.problems)} 个问题，未保存任何数据："]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class DeletionsNotConfirmed(UserError):
    """An import would blank stored values or delete indicators and the user has not yet
    confirmed the list (GUI: a question; CLI: --allow-deletions). Nothing was written."""

    def __init__(self, file_name: str, losses: list[str]) -> None:
        self.file_name = file_name
        self.losses = tuple(losses)
        lines = [
            f"导入文件“{file_name}”将删除或清空以下 {len(self.losses)} 处已保存的数据，"
            "未导入任何数据。请核对；确需删除或清空时，命令行请加 --allow-deletions 重新导入："
        ]
        lines += [f"  {loss}" for loss in self.losses]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class LastChange:
    """The latest audit entry about a record: who, when, what, and the values written."""

    who: str = ""
    at: datetime | None = None
    action: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def when(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}" if self.at else "时间不详"

    def by(self) -> str:
        return self.who or "其他操作人员"


class StaleRecordError(UserError):
    """The record changed, or went, since the user loaded it; nothing was saved."""

    def __init__(self, label: str, change: LastChange, *, gone: bool, version: int | None) -> None:
        self.label, self.change, self.gone, self.version = label, change, gone, version
        if gone:
            message = (
                f"{label}已被{change.by()}于 {change.when()} 删除或移入回收站，"
                "您的修改未保存，也不会把它恢复回来。"
            )
        else:
            what = f"（{change.action}）" if change.action else ""
            message = (
                f"{label}已被{change.by()}于 {change.when()} 修改{what}，"
                "与您打开时的内容不同；您的修改未保存。"
            )
        super().__init__(message)
