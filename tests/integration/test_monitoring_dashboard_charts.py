"""The dashboard's charts: PNG pictures drawn from the dashboard figures."""

from decimal import Decimal

from app.services.monitoring import EntryEdit, open_round, round_rows, update_entry
from app.services.monitoring.dashboard_charts import dashboard_with_charts
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n"


def test_a_year_without_rounds_has_no_charts(db, rules):
    with db.transaction() as s:
        factories.small_county(s)
    board, charts = dashboard_with_charts(db, 2025, rules)
    assert board.latest_month is None and charts is None


def test_every_chart_is_a_png_and_progress_is_reported(db, rules):
    with db.transaction() as s:
        factories.small_county(s)
    open_round(db, 2025, 6, rules)
    row = round_rows(db, 2025, 6, rules)[0]
    update_entry(db, row.entry_id, EntryEdit(row.adjusted_budget, Decimal(0)), rules)
    open_round(db, 2025, 9, rules)
    steps = []
    from app.domain.progress import Progress

    board, charts = dashboard_with_charts(
        db, 2025, rules, Progress(report=lambda d, t, m: steps.append(m))
    )
    assert board.latest_month == 9 and len(board.trend) == 2
    assert charts is not None
    for picture in (charts.departments, charts.sections, charts.trend_rates, charts.trend_lamps):
        assert picture.startswith(PNG) and len(picture) > 5000
    assert steps[0] == "正在计算各轮监控数据…" and steps[-1] == "完成"
