"""Narrative templates of the annual report: TOML text a clerk edits, with {placeholders}.

The bundled file is resources/reports/annual_report.toml; a copy in the user's data folder
(reports/annual_report.toml) takes precedence, so an edited wording survives an update;
a key the copy lacks (a section added since) comes from the bundled file.
Every problem names the template key, in Chinese: the clerk has to find it in the file.
"""

from __future__ import annotations

import shutil
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.errors import UserError
from app.paths import data_dir, resources_dir

FILE_NAME = "annual_report.toml"
_FORMATTER = string.Formatter()


def bundled_template_path() -> Path:
    return resources_dir() / "reports" / FILE_NAME


def user_template_path() -> Path:
    return data_dir() / "reports" / FILE_NAME


def template_path() -> Path:
    """The user's edited copy when there is one, else the bundled file."""
    user = user_template_path()
    return user if user.is_file() else bundled_template_path()


def ensure_user_template() -> Path:
    """Copy the bundled wording to the user's folder (once), for editing; returns its path."""
    user = user_template_path()
    if not user.is_file():
        try:
            user.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundled_template_path(), user)
        except OSError as exc:
            raise UserError(f"无法复制报告文字模板到 {user}：{exc.strerror or exc}") from exc
    return user


class Templates:
    """The parsed template file; `text("basic.goals.text")` reads one template by key."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self._data = data
        self.source = source

    @classmethod
    def load(cls, path: Path | None = None) -> Templates:
        path = path or template_path()
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
        bundled = bundled_template_path()
        if path != bundled and bundled.is_file():
            # A clerk's copy made before a section was added takes that section's wording
            # from the bundled file instead of failing on the missing key.
            data = _with_defaults(data, tomllib.loads(bundled.read_text(encoding="utf-8")))
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


def _with_defaults(data: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with the tables and texts it lacks taken from `defaults` (its own win)."""
    merged = dict(defaults)
    for key, value in data.items():
        default = defaults.get(key)
        if isinstance(value, Mapping) and isinstance(default, Mapping):
            merged[key] = _with_defaults(value, default)
        else:
            merged[key] = value
    return merged


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
