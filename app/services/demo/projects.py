"""Projects of the two demo years: names, codes, kinds, amounts, fund sources.

Last year's projects come first; this year keeps the continuing ones (same code and name)
and adds new ones, as a county's budget does.
"""

from __future__ import annotations

import math
import random

from app.domain.enums import ProjectKind
from app.services.demo.plan import ProjectPlan, Rows, moment
from app.services.demo.vocab import County, DepartmentSpec, largest_remainder
from app.storage.models import Project

PROJECTS_PER_YEAR = 2200
MEDIAN_WAN = 90.0  # median project of the county, in 万元
SIGMA = 1.5  # spread of the log-normal amounts: many small projects, a few big ones
MIN_WAN, MAX_WAN = 1.0, 5000.0
TRANSFER_FIELDS = ("教育", "卫生健康", "农业农村", "水利", "交通", "社会保障", "民政", "林业")
EXEMPT_WORDS = ("防汛", "水毁", "救灾", "灾害救助")
PHASES = ("二", "三", "四", "五", "六", "七", "八", "九")


class NamePool:
    """Unused project names of one department: its recurring programmes, then local works."""

    def __init__(self, rng: random.Random, spec: DepartmentSpec, county: County) -> None:
        base = list(spec.projects)
        rng.shuffle(base)
        local = _expand_templates(rng, spec, county)
        self.recurring = set(base)
        self._names = base + local
        self._used: set[str] = set()
        self._next = 0

    def take(self) -> str:
        while self._next < len(self._names):
            name = self._names[self._next]
            self._next += 1
            if name not in self._used:
                self._used.add(name)
                return name
        # Pool exhausted (only at large scales): a later phase of an earlier project.
        overflow = len(self._used) - len(self._names)
        phase = PHASES[min(overflow // len(self._names), len(PHASES) - 1)]
        name = f"{self._names[overflow % len(self._names)]}（{phase}期）"
        self._used.add(name)
        return name

    @property
    def capacity(self) -> int:
        """Projects a year can take while leaving fresh names for next year's new ones."""
        return max(1, int(len(self._names) / 1.5))


def _expand_templates(rng: random.Random, spec: DepartmentSpec, county: County) -> list[str]:
    towns = [spec.town] if spec.town else list(county.towns)
    names = []
    for template in spec.templates:
        for town in towns:
            if "{village}" in template:
                for village in rng.sample(county.villages, 10 if spec.town is None else 16):
                    names.append(template.format(town=town, village=village))
            else:
                names.append(template.format(town=town, village=""))
    rng.shuffle(names)
    return names


def plan_projects(
    rng: random.Random,
    rows: Rows,
    county: County,
    departments: list[DepartmentSpec],
    department_ids: dict[str, int],
    year_ids: dict[int, int],
    scale: float,
) -> dict[int, list[ProjectPlan]]:
    """Projects of both years (previous first), in department then code order."""
    first, second = sorted(year_ids)
    wanted = max(len(departments), round(PROJECTS_PER_YEAR * scale))
    pools = [NamePool(rng, spec, county) for spec in departments]
    quotas = _quotas([d.weight for d in departments], [p.capacity for p in pools], wanted)
    plans: dict[int, list[ProjectPlan]] = {first: [], second: []}
    for spec, quota, pool in zip(departments, quotas, pools, strict=True):
        serial = [0]
        context = (rng, spec, department_ids[spec.code], serial)
        old = [
            _new_project(context, rows, first, year_ids[first], pool, True) for _ in range(quota)
        ]
        kept = [
            _continue(rng, rows, p, second, year_ids[second]) for p in old if p.end_year >= second
        ]
        kept = kept[:quota]
        fresh = [
            _new_project(context, rows, second, year_ids[second], pool, False)
            for _ in range(quota - len(kept))
        ]
        plans[first] += old
        plans[second] += kept + fresh
    for year in plans:
        for p in plans[year]:
            rows.add(Project, _project_row(rng, p))
    return plans


def _quotas(weights: list[int], capacities: list[int], wanted: int) -> list[int]:
    """Projects per department by weight, never more than it has names for; a share a
    department cannot take goes, by weight, to those that still have room."""
    quotas = [0] * len(weights)
    left = wanted
    open_ = list(range(len(weights)))
    while left > 0 and open_:
        shares = largest_remainder([weights[i] for i in open_], left)
        for i, share in zip(open_, shares, strict=True):
            quotas[i] += min(share, capacities[i] - quotas[i])
        left = wanted - sum(quotas)
        open_ = [i for i in open_ if quotas[i] < capacities[i]]
    return [max(1, q) for q in quotas]


def _new_project(
    context: tuple[random.Random, DepartmentSpec, int, list[int]],
    rows: Rows,
    year: int,
    year_id: int,
    pool: NamePool,
    first_year: bool,
) -> ProjectPlan:
    rng, spec, department_id, serial = context
    name = pool.take()
    recurring = name in pool.recurring
    # In the first demo year most recurring programmes already ran before; works are new.
    continuing = first_year and rng.random() < (0.85 if recurring else 0.35)
    if continuing:
        start = year - rng.randint(1, 4)
        end = year + (rng.randint(0, 3) if recurring else rng.choice((0, 1)))
    else:
        start = year
        end = year + rng.choice((0, 0, 1, 2))
    serial[0] += 1
    # New projects start small; a new one of 400万 or more is rare (it needs an assessment).
    total = _amount(rng, spec.amount * (1.0 if continuing else 0.35))
    return ProjectPlan(
        id=rows.new_id(Project),
        year=year,
        year_id=year_id,
        department=spec,
        department_id=department_id,
        code=f"{spec.code}{serial[0]:03d}",
        name=name,
        kind=(ProjectKind.CONTINUING if continuing else ProjectKind.NEW).value,
        start_year=start,
        end_year=end,
        total=total,
        other=_other_funds(rng, total),
        fund_source=_weighted(rng, spec.funds),
        fund_level=_fund_level(rng, spec),
        functional_class=rng.choice(spec.functional),
    )


def _continue(
    rng: random.Random, rows: Rows, old: ProjectPlan, year: int, year_id: int
) -> ProjectPlan:
    """Next year's instalment of a continuing project: same code, a changed amount."""
    # A few grow a lot, which triggers an ex-ante assessment.
    grows = rng.random() < 0.04
    factor = rng.uniform(1.3, 1.9) if grows else rng.lognormvariate(0.0, 0.15)
    total = _round_amount(min(MAX_WAN, max(MIN_WAN, old.total / 10000 * factor)))
    return ProjectPlan(
        id=rows.new_id(Project),
        year=year,
        year_id=year_id,
        department=old.department,
        department_id=old.department_id,
        code=old.code,
        name=old.name,
        kind=ProjectKind.CONTINUING.value,
        start_year=old.start_year,
        end_year=old.end_year,
        total=total,
        other=_other_funds(rng, total),
        fund_source=old.fund_source,
        fund_level=old.fund_level,
        functional_class=old.functional_class,
        previous_total=old.total,
    )


def _amount(rng: random.Random, factor: float) -> int:
    wan = rng.lognormvariate(math.log(MEDIAN_WAN * factor), SIGMA)
    while wan > MAX_WAN:  # redraw rather than pile projects up at the cap
        wan = rng.lognormvariate(math.log(MEDIAN_WAN * factor), SIGMA)
    return _round_amount(max(MIN_WAN, wan))


def _round_amount(wan: float) -> int:
    """元 rounded as budgets are: to 100 元 below 100万, to 1,000 元 above."""
    step = 100 if wan < 100 else 1000
    return max(10000, round(wan * 10000 / step) * step)


def _other_funds(rng: random.Random, total: int) -> int:
    if rng.random() < 0.8:
        return 0
    return round(total * rng.uniform(0.1, 0.5) / 100) * 100


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    names = [c for c, _ in choices]
    return rng.choices(names, weights=[w for _, w in choices])[0]


def _fund_level(rng: random.Random, spec: DepartmentSpec) -> str:
    share = 0.35 if spec.field in TRANSFER_FIELDS else 0.1
    return "上级转移支付" if rng.random() < share else "本级"


def _project_row(rng: random.Random, p: ProjectPlan) -> dict[str, object]:
    created = moment(rng, p.year - 1, 9)
    exempt = any(word in p.name for word in EXEMPT_WORDS)
    return {
        "id": p.id,
        "year_id": p.year_id,
        "department_id": p.department_id,
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "fund_source": p.fund_source,
        "fund_level": p.fund_level,
        "functional_class": p.functional_class,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "total_amount": p.total,
        "fiscal_amount": p.fiscal,
        "other_amount": p.other,
        "pre_assessment_exempt": exempt,
        "exempt_reason": "防汛抢险及灾害救助类项目，按规定免于事前绩效评估" if exempt else "",
        "deleted_at": None,
        "created_at": created,
        "updated_at": created,
    }
