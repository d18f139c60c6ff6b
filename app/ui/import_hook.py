"""A lighter check in shiboken's import hook.

PySide6 replaces `__import__`: for every module imported after it, it asks whether the
module's source mentions "PySide6" (for its `from __feature__ import …` switches) through
`inspect.getsource`, which keeps each source file in `linecache` for the life of the
process: some 20 MB and a tenth of a second or more for SQLAlchemy and the app's own
modules. The same test on the file's bytes answers alike and keeps nothing. When a PySide6
release no longer has the function, nothing is changed.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401  (loads shiboken and its import hook)

_FEATURE_MODULE = "shibokensupport.feature"


def uses_pyside(module: ModuleType) -> bool:
    """Does the module's source file mention PySide6 (False when it has none to read)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def install() -> bool:
    """Put `uses_pyside` in the hook; False when this PySide6 has no such check."""
    feature = sys.modules.get(_FEATURE_MODULE)
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


install()
