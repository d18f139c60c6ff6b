"""The demo county's vocabulary, read from resources/demo/*.toml (organisation, names, texts)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.paths import resources_dir


@dataclass(frozen=True)
class SectionSpec:
    code: str
    name: str
    staff: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    section: str
    field: str
    weight: int
    amount: float  # median project size relative to the county's
    functional: tuple[str, ...]
    funds: tuple[tuple[str, int], ...]
    projects: tuple[str, ...]
    templates: tuple[str, ...]
    parent: str | None
    town: str | None


@dataclass(frozen=True)
class County:
    name: str
    bureau: str
    towns: tuple[str, ...]
    villages: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    departments: tuple[DepartmentSpec, ...]


def _read(name: str) -> dict[str, Any]:
    path: Path = resources_dir() / "demo" / name
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_county() -> County:
    data = _read("county.toml")
    sections = tuple(SectionSpec(s["code"], s["name"], tuple(s["staff"])) for s in data["section"])
    departments = tuple(_department(d) for d in data["department"])
    return County(
        data["county"],
        data["bureau"],
        tuple(data["towns"]),
        tuple(data["villages"]),
        sections,
        departments,
    )


def _department(d: dict[str, Any]) -> DepartmentSpec:
    funds = d.get("funds", {"一般公共预算": 100})
    return DepartmentSpec(
        code=d["code"],
        name=d["name"],
        section=d["section"],
        field=d["field"],
        weight=int(d["weight"]),
        amount=float(d["amount"]),
        functional=tuple(d["functional"]),
        funds=tuple(funds.items()),
        projects=tuple(d["projects"]),
        templates=tuple(d.get("templates", [])),
        parent=d.get("parent"),
        town=d.get("town"),
    )


def load_texts() -> dict[str, Any]:
    return _read("texts.toml")


def select_departments(county: County, scale: float) -> list[DepartmentSpec]:
    """The departments used at this scale: a per-section share, 主管部门 before their units.

    Each section keeps at least one department; the file lists a 主管部门 before its
    subordinate units, so taking a prefix of each section never orphans a unit.
    """
    total = len(county.departments)
    wanted = min(total, max(len(county.sections), round(total * scale)))
    by_section = {
        s.name: [d for d in county.departments if d.section == s.name] for s in county.sections
    }
    quotas = largest_remainder([len(v) for v in by_section.values()], wanted, minimum=1)
    chosen: set[str] = set()
    for (_, deps), quota in zip(by_section.items(), quotas, strict=True):
        chosen.update(d.code for d in deps[:quota])
    return [d for d in county.departments if d.code in chosen]


def largest_remainder(weights: list[int], total: int, minimum: int = 0) -> list[int]:
    """Split an integer total in proportion to weights, every share at least `minimum`."""
    spare = total - minimum * len(weights)
    if spare <= 0:
        return [minimum] * len(weights)
    whole = sum(weights)
    exact = [w * spare / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [s + minimum for s in shares]
