"""Resources and migrations are found from a source tree, an installed wheel and a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from app import paths


def _tree(root: Path, *folders: str) -> None:
    for folder in folders:
        (root / folder).mkdir(parents=True)


def test_source_tree_layout_is_found_first():
    assert (paths.resources_dir() / "rules" / "default.toml").is_file()
    assert (paths.migrations_dir() / "env.py").is_file()


def test_installed_wheel_layout(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "app"
    _tree(package, "_bundled/resources", "_bundled/migrations")
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert paths.resources_dir() == package / "_bundled" / "resources"
    assert paths.migrations_dir() == package / "_bundled" / "migrations"


def test_pyinstaller_bundle_layout_wins(tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    _tree(bundle, "resources", "db/migrations")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "elsewhere" / "app")
    assert paths.resources_dir() == bundle / "resources"
    assert paths.migrations_dir() == bundle / "db" / "migrations"


def test_wheel_includes_the_data_folders():
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8")
    assert '"resources" = "app/_bundled/resources"' in pyproject
    assert '"db/migrations" = "app/_bundled/migrations"' in pyproject
