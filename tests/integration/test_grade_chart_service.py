from app.domain.enums import Grade
from app.services.evaluation.grade_chart import grade_chart_png, grade_counts


def test_counts_every_grade_in_order_and_skips_none():
    counts = grade_counts([Grade.GOOD, None, Grade.POOR, Grade.GOOD])
    assert list(counts) == [Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR]
    assert list(counts.values()) == [0, 2, 0, 1]


def test_chart_is_a_png():
    png = grade_chart_png(grade_counts([Grade.EXCELLENT, Grade.FAIR]), "等级分布")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
