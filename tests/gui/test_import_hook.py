"""shiboken's import hook tests each module's source without keeping it in linecache."""

from __future__ import annotations

import linecache
import sys
from types import ModuleType

from app.ui import import_hook


def _module_at(path: str) -> ModuleType:
    module = ModuleType("probe")
    module.__file__ = path
    return module


def test_a_source_mentioning_pyside6_uses_it_and_others_do_not(tmp_path):
    (tmp_path / "qt.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("X = '财政'\n", encoding="utf-8")
    assert import_hook.uses_pyside(_module_at(str(tmp_path / "qt.py")))
    assert not import_hook.uses_pyside(_module_at(str(tmp_path / "plain.py")))
    assert not import_hook.uses_pyside(_module_at(str(tmp_path / "gone.py")))  # unreadable
    assert not import_hook.uses_pyside(_module_at(str(tmp_path / "ext.so")))  # no source
    assert not import_hook.uses_pyside(ModuleType("built_in"))


def test_an_import_after_pyside6_leaves_no_source_in_linecache(tmp_path, monkeypatch):
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is import_hook.uses_pyside
    (tmp_path / "probe_uses_qt.py").write_text("import PySide6\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        __import__("probe_uses_qt")  # through the hook, as an import statement goes
        assert str(tmp_path / "probe_uses_qt.py") not in linecache.cache
        feature_dict = sys.modules["shibokensupport.feature"].pyside_feature_dict
        assert feature_dict["probe_uses_qt"] == 0  # PySide6's answer for a module using it
    finally:
        sys.modules.pop("probe_uses_qt", None)
