"""抽查复核: drawing the sample, reviewing sampled self-evaluations, the summary."""

from app.services.spotcheck.draw import MustInclude, draw_sample, effective_rules
from app.services.spotcheck.views import (
    SampledItem,
    SampleResult,
    SectionDraw,
    sample_summary,
)

__all__ = [
    "MustInclude",
    "SampleResult",
    "SampledItem",
    "SectionDraw",
    "draw_sample",
    "effective_rules",
    "sample_summary",
]
