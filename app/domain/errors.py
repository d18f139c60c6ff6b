"""Expected problems, kept apart from bugs.

A UserError carries a Chinese message that names the object at fault (file, sheet, row,
column, project code). Anything else that escapes is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
