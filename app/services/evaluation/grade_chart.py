"""Grade distribution (优/良/中/差) as counts and as a small PNG bar chart for screens.

The GUI may not import app.reports (layer rule), so screens get the chart's PNG bytes here.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.enums import Grade
from app.reports.charts import bar_chart

GRADES = tuple(Grade)  # 优, 良, 中, 差: the order every summary uses


def grade_counts(grades: Iterable[Grade | None]) -> dict[Grade, int]:
    """How many of each grade, every grade present (0 when none); None is not counted."""
    counts = dict.fromkeys(GRADES, 0)
    for grade in grades:
        if grade is not None:
            counts[grade] += 1
    return counts


def grade_chart_png(
    counts: dict[Grade, int], title: str = "", width_mm: float = 70, height_mm: float = 45
) -> bytes:
    """Bars per grade with the count on top; small enough for a side panel."""
    return bar_chart(
        [g.value for g in GRADES],
        [counts.get(g, 0) for g in GRADES],
        title=title or None,
        value_label="项目数",
        value_format="{:g}",
        width_mm=width_mm,
        height_mm=height_mm,
    )
