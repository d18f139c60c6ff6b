"""绩效监控 (双监控): rounds, entering figures, lamps, closing, dashboard.

One function per user action, one transaction each; the lamps come from app.domain.lamps.
"""

from app.services.monitoring.dashboard import (
    Dashboard,
    DepartmentProgress,
    LampCounts,
    RoundTrend,
    SectionLamps,
    dashboard,
)
from app.services.monitoring.entries import EntryEdit, EntryResult, IndicatorEdit, update_entry
from app.services.monitoring.rounds import RoundSummary, close_round, list_rounds, open_round
from app.services.monitoring.views import (
    IndicatorLampRow,
    ProjectMonitoringRow,
    ReasonNeeded,
    filter_rows,
    lagging,
    round_rows,
)

__all__ = [
    "Dashboard",
    "DepartmentProgress",
    "EntryEdit",
    "EntryResult",
    "IndicatorEdit",
    "IndicatorLampRow",
    "LampCounts",
    "ProjectMonitoringRow",
    "ReasonNeeded",
    "RoundSummary",
    "RoundTrend",
    "SectionLamps",
    "close_round",
    "dashboard",
    "filter_rows",
    "lagging",
    "list_rounds",
    "open_round",
    "round_rows",
    "update_entry",
]
