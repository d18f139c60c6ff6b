"""The layer arrows of docs/architecture.md, checked on every import statement in app/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# For each layer: the outside libraries and the app layers it may import.
ALLOWED = {
    "domain": (set(), {"domain"}),
    "storage": ({"sqlalchemy", "alembic"}, {"domain", "paths", "storage", "atomic"}),
    # xlrd and python-docx read departments' printed forms (.xls, Word tables).
    "spreadsheet": (
        {"openpyxl", "defusedxml", "xlrd", "docx"},
        {"domain", "spreadsheet", "atomic"},
    ),
    # fontTools: font_convert turns the open 仿宋 (CFF) into TrueType that reportlab embeds.
    "reports": (
        {"docx", "lxml", "reportlab", "matplotlib", "PIL", "fontTools"},
        {"domain", "reports", "paths", "atomic"},
    ),
    "services": (
        {"sqlalchemy", "alembic", "tomlkit"},  # tomlkit: the 规则集 form edits TOML text
        {"domain", "storage", "spreadsheet", "reports", "services", "paths", "atomic"},
    ),
    # storage.kinds: the vocabulary of change announcements (no sessions in it).
    "cli": (set(), {"cli", "domain", "services", "storage.database", "storage.kinds", "paths"}),
    # pypdfium2 rasterises the exported PDF for the report preview and printing; keyring
    # keeps server passwords in the OS password store.
    "ui": (
        {"PySide6", "pypdfium2", "keyring"},
        {"ui", "domain", "services", "storage.database", "storage.kinds", "paths"},
    ),
}
THIRD_PARTY_ANYWHERE = {"platformdirs"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _violations(layer: str, path: Path) -> list[str]:
    """The imports of one file that its layer may not make."""
    libraries, layers = ALLOWED[layer]
    found = []
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "app":
            inner = name.removeprefix("app").removeprefix(".")
            if inner and not any(inner == ok or inner.startswith(ok + ".") for ok in layers):
                found.append(name)
        elif top not in sys.stdlib_module_names and top not in THIRD_PARTY_ANYWHERE | libraries:
            found.append(name)
    return found


def test_every_layer_imports_only_what_it_may():
    violations = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for layer in ALLOWED
        for path in sorted((APP / layer).rglob("*.py"))
        for name in _violations(layer, path)
    ]
    assert violations == []


def test_domain_uses_only_the_standard_library():
    for path in (APP / "domain").rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("app.domain"), (path, name)


def test_the_check_catches_a_wrong_arrow(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("import PySide6\nfrom app.storage.models import Project\n", encoding="utf-8")
    assert _violations("domain", bad) == ["PySide6", "app.storage.models"]
    assert _violations("ui", bad) == ["app.storage.models"]
