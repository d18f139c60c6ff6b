"""Fixtures of the Excel button tests, loaded with `pytest_plugins` (never import it).

`file_dialogs` replaces QFileDialog's static choosers with answers set by the test (a path
under tmp_path, or None for "cancelled") and records the suggested file names; it also
records the folders "打开所在文件夹" asks the desktop to open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog


@dataclass
class FileDialogs:
    open_path: Path | None = None
    save_path: Path | None = None
    suggested: list[str] = field(default_factory=list)  # the save dialog's proposed paths
    opened_urls: list[str] = field(default_factory=list)

    @property
    def suggested_name(self) -> str:
        return Path(self.suggested[-1]).name


@pytest.fixture
def file_dialogs(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    dialogs = FileDialogs()

    def get_open(_parent, _title, _start, _filter):  # type: ignore[no-untyped-def]
        return (str(dialogs.open_path) if dialogs.open_path else "", "")

    def get_save(_parent, _title, start, _filter):  # type: ignore[no-untyped-def]
        dialogs.suggested.append(start)
        return (str(dialogs.save_path) if dialogs.save_path else "", "")

    def open_url(url) -> bool:  # type: ignore[no-untyped-def]
        dialogs.opened_urls.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return dialogs
