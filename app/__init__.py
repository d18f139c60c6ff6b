"""县级财政预算绩效管理 (budget performance management for a county finance bureau)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jixiao")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

APP_NAME = "预算绩效管理"
APP_ID = "jixiao"
