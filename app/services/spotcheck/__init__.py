"""抽查复核: drawing the sample, reviewing sampled self-evaluations, the summary."""

from app.services.spotcheck.draw import MustInclude, draw_sample, effective_rules
from app.services.spotcheck.review import (
    ReviewEdit,
    ReviewedRow,
    ReviewItemEdit,
    ReviewOutcome,
    ReviewSheet,
    SheetRow,
    review_sheet,
    save_review,
    start_review,
)
from app.services.spotcheck.summary import (
    ReviewListRow,
    ReviewSummary,
    SectionCounts,
    review_list,
)
from app.services.spotcheck.views import (
    SampledItem,
    SampleResult,
    SectionDraw,
    sample_summary,
)

__all__ = [
    "MustInclude",
    "ReviewEdit",
    "ReviewItemEdit",
    "ReviewListRow",
    "ReviewOutcome",
    "ReviewSheet",
    "ReviewSummary",
    "ReviewedRow",
    "SampleResult",
    "SampledItem",
    "SectionCounts",
    "SectionDraw",
    "SheetRow",
    "draw_sample",
    "effective_rules",
    "review_list",
    "review_sheet",
    "sample_summary",
    "save_review",
    "start_review",
]
