"""Every service query on rows that can be in the 回收站 goes through services/common/live.py.

The rule, checked on the source of app/services (live.py itself, the recycle bin, which
exists to see binned rows, and demo/, which only writes a new county, are exempt):

1. No code reads or compares `deleted_at`: "live" is live.only / or_missing / get /
   in_bin, "binned too" is live.with_bin.
2. A statement that names a binned model (every mapped class with a `deleted_at` column:
   Project, Goal) in a query — an argument of select/update/delete/exists, of
   .join/.outerjoin/.join_from/.select_from, or of session.get/get_one — also says which
   rows it means: it calls the live module, or uses a variable its function assigned from
   a call of the live module (criteria gathered once, used by several queries).
3. No code compares `FiscalYear.year` to find a year's row: live.year_id / fiscal_year /
   in_year / in_years do (selecting the column to list years is fine).

Tables that hang off a project (自评, 监控填报, 事前评估…) reach "live" through a join on
Project, which rule 2 then covers; tests/integration/test_live_read_paths.py checks that
each read path really leaves a binned project out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from app.storage.models import Base

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"
EXEMPT = {"common/live.py", "common/recycle_bin.py"}
BINNED = {m.class_.__name__ for m in Base.registry.mappers if "deleted_at" in m.columns}
QUERY_FUNCTIONS = {"select", "update", "delete", "exists"}
QUERY_METHODS = {"join", "outerjoin", "join_from", "select_from", "get", "get_one"}


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        name = path.relative_to(SERVICES).as_posix()
        if name not in EXEMPT and not name.startswith("demo/"):
            found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _is_query_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in QUERY_FUNCTIONS
    return isinstance(func, ast.Attribute) and func.attr in QUERY_METHODS


def _names_binned(call: ast.Call) -> bool:
    args = [*call.args, *(k.value for k in call.keywords)]
    return any(isinstance(n, ast.Name) and n.id in BINNED for a in args for n in ast.walk(a))


def _uses_live(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "live"
        for n in ast.walk(node)
    )


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function, without those of the functions nested in it."""
    nodes, stack = [], list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        nodes.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return nodes


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _unscoped_queries(function: ast.AST) -> list[int]:
    """Lines of the function's simple statements querying a binned model without `live`."""
    nodes = _own_nodes(function)
    assigns = [n for n in nodes if isinstance(n, ast.Assign)]
    scoped_names: set[str] = set()
    while True:  # names built from live criteria, or from names built from them
        grown = scoped_names | {
            target.id
            for n in assigns
            if _uses_live(n.value) or _names(n.value) & scoped_names
            for target in n.targets
            if isinstance(target, ast.Name)
        }
        if grown == scoped_names:
            break
        scoped_names = grown
    found = []
    for stmt in nodes:
        if not isinstance(stmt, ast.stmt) or hasattr(stmt, "body"):
            continue  # compound statements: their simple statements are checked instead
        if not any(_is_query_call(n) and _names_binned(n) for n in ast.walk(stmt)):
            continue
        if not _uses_live(stmt) and not _names(stmt) & scoped_names:
            found.append(stmt.lineno)
    return found


def test_binned_models_are_projects_and_goals():
    assert {"Project", "Goal"} == BINNED


def test_no_service_reads_deleted_at_itself():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "deleted_at"
    ]
    assert found == [], "use services/common/live.py instead:\n" + "\n".join(found)


def test_every_query_naming_a_binned_model_says_which_rows():
    found = [
        f"{name}:{line} {function.name}"
        for name, tree in _modules()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for line in _unscoped_queries(function)
    ]
    assert found == [], "query without live.only/with_bin/get:\n" + "\n".join(found)


def _is_year_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "year"
        and isinstance(node.value, ast.Name)
        and node.value.id == "FiscalYear"
    )


def _looks_a_year_up(node: ast.AST) -> bool:
    if isinstance(node, ast.Compare):
        return any(_is_year_number(side) for side in (node.left, *node.comparators))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "in_"
        and _is_year_number(node.func.value)
    )


def test_no_service_looks_a_year_up_itself():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if _looks_a_year_up(node)
    ]
    assert found == [], "use live.year_id / fiscal_year / in_year:\n" + "\n".join(found)


def test_the_rule_catches_a_bypass_and_accepts_named_criteria():
    bypass = ast.parse(
        "def f(s, year_id):\n"
        "    rows = s.scalars(select(Project).where(Project.year_id == year_id))\n"
        "    return rows\n"
    )
    assert _unscoped_queries(bypass.body[0]) == [2]
    named = ast.parse(
        "def f(s, year_id):\n"
        "    kept = live.only(Project)\n"
        "    mine = (*kept, Project.year_id == year_id)\n"
        "    return s.scalars(select(Project).where(*mine))\n"
    )
    assert _unscoped_queries(named.body[0]) == []
