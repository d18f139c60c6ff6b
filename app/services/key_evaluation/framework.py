"""The shipped 重点评价 framework template (resources/key_evaluation/framework.toml)."""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import UserError
from app.domain.key_evaluation import FrameworkItem, parse_framework
from app.paths import resources_dir


def template_path() -> Path:
    return resources_dir() / "key_evaluation" / "framework.toml"


def load_template(path: Path | None = None) -> tuple[FrameworkItem, ...]:
    """The template's items, checked (weights add up to 100, 产出 + 效益 ≥ 60)."""
    path = path or template_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"无法读取重点评价指标体系模板“{path}”：{exc.strerror}") from exc
    return parse_framework(text, f"重点评价指标体系模板“{path.name}”")
