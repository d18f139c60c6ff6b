"""Moved to app.ui.widgets.row_table; these names stay importable from here."""

from app.ui.widgets.row_table import FLAGGED_BACKGROUND as FLAGGED_BACKGROUND
from app.ui.widgets.row_table import VALUE_ROLE as VALUE_ROLE
