"""app/reports may import only the standard library, its renderers' libraries and app.domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import app.reports

ALLOWED = {"docx", "reportlab", "matplotlib", "lxml", "app"}
ALLOWED_APP = ("app.reports", "app.domain")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_reports_imports_stay_inside_the_layer() -> None:
    package = Path(app.reports.__file__).parent
    offenders = []
    for path in sorted(package.glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if top not in ALLOWED or (top == "app" and not name.startswith(ALLOWED_APP)):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
