"""The indicator library workbook (指标库), declared once for export and import."""

from __future__ import annotations

from .columns import Column, SheetSpec

LIBRARY_SHEET = "指标库"
SOURCE_LABELS = {"builtin": "内置", "user": "自定义"}

LIBRARY = SheetSpec(
    LIBRARY_SHEET,
    [
        Column("行业", "field", width=12, help="不填视为“通用”。", header_required=True),
        Column("一级指标", "level1", required=True, width=12),
        Column("二级指标", "level2", required=True, width=16),
        Column("三级指标", "name", required=True, width=28, aliases=("指标名称",)),
        Column("指标性质", "comparator", required=True, width=9, help="≥、>、=、≤、< 或 定性。"),
        Column(
            "计量单位", "unit", width=10, help="定量指标必填，定性指标不填。", header_required=True
        ),
        Column("指标解释", "explanation", width=50, header_required=True),
        Column("来源", "source", width=8, locked=True, help="内置或自定义，导入时不读取。"),
    ],
    unique=[("field", "level1", "level2", "name")],
    description="每个指标一行；行业、一级、二级、三级都相同的指标视为同一指标，导入时更新。",
)
