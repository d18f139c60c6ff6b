"""Narrative templates of the annual report: TOML text with {placeholders}.

The shipped wording is resources/reports/annual_report.toml; each year's own wording is kept
in the database (app/services/reports/wording.py), and the CLI's `--templates FILE` reads a
file for one run. A wording written before a section was added takes that section from the
shipped file (`with_shipped_keys`). Every problem names the template key, in Chinese.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit

from app.domain.errors import UserError
from app.paths import resources_dir

FILE_NAME = "annual_report.toml"
_FORMATTER = string.Formatter()


def bundled_template_path() -> Path:
    return resources_dir() / "reports" / FILE_NAME


class Templates:
    """The parsed template file; `text("basic.goals.text")` reads one template by key."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self._data = data
        self.source = source

    @classmethod
    def load(cls, path: Path) -> Templates:
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"无法读取报告文字模板 {path}：{exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise UserError(f"报告文字模板 {path} 不是 UTF-8 编码的文本文件") from exc
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"报告文字模板 {path} 格式有误：{exc}") from exc
        if path != bundled_template_path():
            data = tomllib.loads(with_shipped_keys(raw))
        return cls(data, str(path))

    def _get(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise UserError(f"报告文字模板缺少“{key}”（{self.source}）")
            node = node[part]
        return node

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise UserError(f"报告文字模板“{key}”应为一段文字（{self.source}）")
        return value

    def items(self, key: str) -> list[tuple[str, str]]:
        """The [[key.items]] list as (item key, text), e.g. ("problems.items[2]", "...")."""
        value = self._get(f"{key}.items")
        if not isinstance(value, list) or not all(
            isinstance(v, Mapping) and isinstance(v.get("text"), str) for v in value
        ):
            raise UserError(f"报告文字模板“{key}.items”的每一条都应有 text 文字（{self.source}）")
        return [(f"{key}.items[{i}]", v["text"]) for i, v in enumerate(value, start=1)]


def with_shipped_keys(text: str) -> str:
    """The wording (valid TOML) with every table and text the shipped file has and it lacks
    added: a clerk's wording written before a section was added prints and edits that
    section in the shipped words instead of failing on the missing key. Its own texts win."""
    doc = tomlkit.parse(text)
    _add_missing(doc, tomlkit.parse(bundled_template_path().read_text(encoding="utf-8")))
    return tomlkit.dumps(doc)


def _add_missing(node: Any, shipped: Mapping[str, Any]) -> None:
    for key, value in shipped.items():
        if key not in node:
            node[key] = value
        elif isinstance(value, Mapping) and isinstance(node[key], Mapping):
            _add_missing(node[key], value)


def placeholders(template: str, key: str) -> list[str]:
    """The placeholder names a template uses; unbalanced braces name the template key."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise UserError(
            f"报告文字模板“{key}”中的花括号不成对（要显示花括号请写 {{{{ 或 }}}}）：{template}"
        ) from exc
    return [name for _text, name, _spec, _conv in parsed if name is not None]


def check_names(template: str, key: str, known: set[str]) -> list[str]:
    """The template's placeholders, refusing any name the report does not know."""
    names = placeholders(template, key)
    unknown = [n for n in names if n not in known]
    if unknown:
        shown = "、".join(f"{{{n}}}" if n else "{}" for n in unknown)
        raise UserError(
            f"报告文字模板“{key}”中的占位符 {shown} 无法识别，请对照模板文件开头的“可用占位符”修改"
        )
    return names


def fill(template: str, key: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders; all of them must be in `values` (check availability first)."""
    check_names(template, key, set(values))
    try:
        return template.format_map(values)
    except (ValueError, IndexError) as exc:  # a format spec such as {x:d} on text
        raise UserError(f"报告文字模板“{key}”中的占位符格式有误：{exc}") from exc
