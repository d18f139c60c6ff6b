"""ui layer."""

from app.ui import import_hook  # noqa: F401  (before the modules PySide6 would read)
