"""The model modules keep their annotations as objects (app/storage/models/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "app" / "storage" / "models"


def _postponed(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )


def test_no_model_module_postpones_its_annotations():
    modules = sorted(MODELS.glob("*.py"))
    assert len(modules) > 5
    assert [p.name for p in modules if _postponed(p)] == []
