"""The 规则集 form: the rule values a bureau edits, read from and written into the TOML text.

The form edits the year's stored text in place (tomlkit keeps every comment and every key
the form does not show), then the result goes through the same validator as a rule file
(app/domain/rules.py), so a wrong value is reported with its field's Chinese label and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from app.domain.errors import Problem, ValidationFailed
from app.services.common.year_rules import parse_rules

NUMBER, INTEGER, MONTHS, CHOICE, CAPS, TEXT = (
    "number",
    "integer",
    "months",
    "choice",
    "caps",
    "text",
)


@dataclass(frozen=True)
class Field:
    key: str  # dotted path in the TOML text; goals.level1.N.points for the N-th 一级指标
    group: str
    label: str
    kind: str = NUMBER
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, 中文)


RATIO_HINT = "比例，0.6 表示 60%"
_GRADES = ("优", "良", "中", "差")
STATIC_FIELDS: tuple[Field, ...] = (
    Field("name", "名称", "规则集名称", TEXT),
    Field("monitoring.months", "绩效监控", "监控月份", MONTHS, "用逗号分隔，如 3,6,9,12"),
    Field(
        "monitoring.budget_rule",
        "绩效监控",
        "资金执行亮灯方式",
        CHOICE,
        choices=(("ratio", "执行率 ÷ 序时进度"), ("gap", "落后序时进度的百分点")),
    ),
    Field("monitoring.budget_ratio_red", "绩效监控", "资金红灯界限", hint=RATIO_HINT),
    Field("monitoring.budget_ratio_yellow", "绩效监控", "资金黄灯界限", hint=RATIO_HINT),
    Field("monitoring.budget_gap_points", "绩效监控", "资金落后百分点界限", hint="百分点"),
    Field("monitoring.indicator_red", "绩效监控", "指标红灯界限", hint=RATIO_HINT),
    Field("monitoring.indicator_yellow", "绩效监控", "指标黄灯界限", hint=RATIO_HINT),
    Field("monitoring.indicator_blue", "绩效监控", "指标蓝灯界限", hint=RATIO_HINT),
    Field("goals.total_points", "评分", "总分"),
    Field("goals.execution_points", "评分", "预算执行率分值"),
    Field("scoring.over_completion_ratio", "评分", "超额完成比例", hint="1.3 表示达到目标的 130%"),
    Field(
        "scoring.over_completion_mode",
        "评分",
        "超额完成处理",
        CHOICE,
        choices=(("reason", "须说明理由"), ("deduct", "按比例扣分")),
    ),
    Field("scoring.over_completion_deduction", "评分", "超额完成扣分比例", hint=RATIO_HINT),
    Field(
        "scoring.execution_caps",
        "评分",
        "执行率封顶",
        CAPS,
        "执行率:最高总分，用分号分隔，如 0.6:60; 0.8:80；不封顶留空",
    ),
    *(Field(f"grades.{g}", "等级", f"“{g}”等级下限（分）") for g in _GRADES),
    Field("sampling.ratio", "抽查复核", "抽查比例", hint=RATIO_HINT),
    Field("sampling.min_per_section", "抽查复核", "每个股室至少抽取（个）", INTEGER),
    Field("sampling.inflated_points", "抽查复核", "自评不实分差（分）"),
    Field("pre_assessment.new_threshold_wan", "事前评估", "新增项目金额（万元）"),
    Field("pre_assessment.growth_ratio", "事前评估", "增幅比例", hint=RATIO_HINT),
    Field("pre_assessment.growth_amount_wan", "事前评估", "增加金额（万元）"),
    *(
        Field(f"results.{g}", "结果应用", f"“{g}”等级预算调减比例", hint=RATIO_HINT)
        for g in _GRADES
    ),
)


def form_fields(text: str) -> tuple[Field, ...]:
    """The form's fields for this rule text: the fixed ones and one per 一级指标."""
    data = tomlkit.parse(text)
    level1 = data.get("goals", {}).get("level1", [])
    points = tuple(
        Field(f"goals.level1.{i}.points", "评分", f"“{item.get('name', i + 1)}”分值")
        for i, item in enumerate(level1)
    )
    head = STATIC_FIELDS[:11]  # 评分 fields: total and execution first, then the 一级 points
    return (*head, *points, *STATIC_FIELDS[11:])


def form_values(text: str) -> dict[str, str]:
    """Every field's value as the form shows it."""
    data = tomlkit.parse(text).unwrap()
    return {f.key: _shown(f, _lookup(data, f.key)) for f in form_fields(text)}


def _lookup(data: Any, key: str) -> Any:
    node = data
    for part in key.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _shown(field: Field, value: Any) -> str:
    if value is None:
        return ""
    if field.kind == MONTHS:
        return ",".join(str(m) for m in value)
    if field.kind == CAPS:
        return "; ".join(f"{c.get('below')}:{c.get('max_total')}" for c in value)
    return str(value)


def apply_form(text: str, values: dict[str, str]) -> str:
    """The rule text with the form's values written in; raises ValidationFailed with one
    located Chinese message per wrong field, and nothing is changed then."""
    fields = {f.key: f for f in form_fields(text)}
    doc = tomlkit.parse(text)
    current = form_values(text)
    problems: list[Problem] = []
    for key, shown in values.items():
        field = fields[key]
        if shown.strip() == current[key]:
            continue  # untouched: keep the text as written (0.0 stays 0.0)
        try:
            _store(doc, key, _typed(field, shown.strip()))
        except ValueError as exc:
            problems.append(Problem(f"{_where(field)}：{exc}"))
    result = tomlkit.dumps(doc)  # a field typed wrong keeps its old value for this check
    try:
        parse_rules(result)
    except ValidationFailed as exc:
        problems += [Problem(_locate(p.message, fields)) for p in exc.problems]
    if problems:
        raise ValidationFailed(problems, f"规则集有 {len(problems)} 处错误：")
    return result


def field_of(message: str, fields: tuple[Field, ...]) -> Field | None:
    """The field a located message is about (the form marks it)."""
    return next((f for f in fields if message.startswith(_where(f) + "：")), None)


def _where(field: Field) -> str:
    return f"{field.group} · {field.label}（{field.key}）"


def _locate(message: str, fields: dict[str, Field]) -> str:
    """Prefix the validator's "key：…" message with the field's group and label."""
    key, _, rest = message.partition("：")
    if key.startswith("goals.level1 第"):  # "goals.level1 第2项 points：…"
        index = key.split("第", 1)[1].split("项", 1)[0]
        key = f"goals.level1.{int(index) - 1}.points" if index.isdigit() else "goals.level1"
    if key in ("goals.level1", "goals.classes"):
        key = next((k for k in fields if k.startswith("goals.level1.")), "goals.total_points")
    if key == "grades":
        key = "grades.优"
    field = fields.get(key)
    return f"{_where(field)}：{rest}" if field else message


def _typed(field: Field, shown: str) -> Any:
    if field.kind in (TEXT, CHOICE):
        if not shown:
            raise ValueError("不能为空")
        return shown
    if field.kind == MONTHS:
        return [_integer(part) for part in _split(shown, ",")]
    if field.kind == CAPS:
        caps = []
        for part in _split(shown, ";"):
            below, sep, top = part.partition(":")
            if not sep:
                raise ValueError(f"“{part}”应写成 执行率:最高总分，如 0.6:60")
            caps.append({"below": _number(below), "max_total": _number(top)})
        return caps
    if field.kind == INTEGER:
        return _integer(shown)
    return _number(shown)


def _split(shown: str, sep: str) -> list[str]:
    normalised = shown.replace("，", ",").replace("；", ";").replace("：", ":")
    return [part.strip() for part in normalised.split(sep) if part.strip()]


def _number(shown: str) -> int | float:
    try:
        value = Decimal(shown.strip())
    except InvalidOperation:
        raise ValueError(f"应为数字，实际为“{shown.strip()}”") from None
    if not value.is_finite():
        raise ValueError(f"应为数字，实际为“{shown.strip()}”")
    # TOML floats are read back as Decimal by the validator; integers stay integers.
    return int(value) if value == value.to_integral_value() else float(value)


def _integer(shown: str) -> int:
    value = _number(shown)
    if not isinstance(value, int):
        raise ValueError(f"应为整数，实际为“{shown.strip()}”")
    return value


def _store(doc: Any, key: str, value: Any) -> None:
    parts = key.split(".")
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        array = tomlkit.array()
        for item in value:
            table = tomlkit.inline_table()
            table.update(item)
            array.append(table)
        value = array
    try:
        node[last] = value
    except (TOMLKitError, KeyError, TypeError) as exc:
        raise ValueError(f"无法写入：{exc}") from exc
