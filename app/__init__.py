"""县级财政预算绩效管理 (budget performance management for a county finance bureau)."""

from __future__ import annotations

APP_NAME = "预算绩效管理"
APP_ID = "jixiao"

__version__: str  # looked up when first asked for (below)


def __getattr__(name: str) -> str:
    # importlib.metadata costs a command 0.04 s at start; only the GUI and smoke test ask.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("jixiao")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.1.0"
    globals()["__version__"] = found
    return found
