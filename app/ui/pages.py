"""The steps of the yearly cycle, in navigation order, and the page that shows each.

A page is a QWidget with `set_database(db, year)` and `set_year(year)`. Pages load their
data lazily (when first shown after a change) so start-up stays fast. A step whose page is
not built yet gets a placeholder that says what will come there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.storage.database import Database


class CyclePage(Protocol):
    def set_database(self, db: Database, year: int | None) -> None: ...

    def set_year(self, year: int | None) -> None: ...


@dataclass(frozen=True)
class PageEntry:
    name: str
    factory: Callable[[Database], QWidget] | None = None
    coming: str = ""  # what a placeholder promises, while factory is None


def page_entries() -> list[PageEntry]:
    from app.ui.goals.page import GoalsPage
    from app.ui.settings.page import SettingsPage

    return [
        PageEntry("绩效目标", GoalsPage),
        PageEntry("事前评估", None, "登记需要事前绩效评估的项目，录入评估意见、送审和审定金额。"),
        PageEntry(
            "绩效监控",
            None,
            "按轮次（季度或月份）填报预算执行和指标完成情况，显示预警灯并记录监控结论。",
        ),
        PageEntry("绩效自评", None, "汇总各单位年终自评得分和等级，检查自评表的完整性。"),
        PageEntry("抽查复核", None, "按股室抽取自评项目样本，逐项复核打分，出具审核意见。"),
        PageEntry("结果应用", None, "根据评价结果提出下一年度预算调整建议并跟踪落实。"),
        PageEntry("报告", None, "生成向人大、县政府报送的报告和公开材料（Word 和 PDF）。"),
        PageEntry("设置", SettingsPage),
    ]
