"""One seat as its own OS process, for tests/integration/test_seats_processes.py.

    python -m tests.integration.seat_process JOB URL OPERATOR FOLDER SEATS [ARG]

The seat opens the database by URL with its own operator, does what must come before the
race (loads the goal it edits), then waits at a barrier of files in FOLDER until all SEATS
are ready, runs JOB and writes its outcome to FOLDER/<operator>.json. A seat that wins a
job lock stays inside it until every other seat has written its outcome, so the seats
really overlap whatever the machine's speed."""

from __future__ import annotations

import json
import sys
import time
import traceback
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.errors import StaleRecordError, UserError
from app.domain.rules import load_rule_set
from app.paths import default_rules_path
from app.services.common.recycle_bin import delete_project
from app.services.goals import load_goal, save_goal
from app.services.goals.workbook import import_goals
from app.services.setup import operator
from app.services.spotcheck import draw_sample
from app.storage import joblock
from app.storage.database import Database, open_database

WAIT_SECONDS = 120  # only a guard against a stuck test: nothing is timed


def main(job: str, url: str, name: str, folder: str, seats: str, arg: str = "") -> None:
    here, count = Path(folder), int(seats)
    operator.choose(name)
    rules = load_rule_set(default_rules_path())
    db = open_database(url)
    try:
        _stay_inside_the_lock_until_the_others_are_done(here, name, count)
        run = _prepare(job, db, arg, name, rules)
        (here / f"{name}.ready").touch()
        _wait_for(lambda: len(list(here.glob("*.ready"))) == count)
        outcome: dict[str, Any] = {"outcome": "ran", **run()}
    except UserError as exc:
        outcome = {"outcome": "refused", "kind": type(exc).__name__, "message": exc.message}
    except Exception:  # a raw database error is what the tests must never see
        outcome = {"outcome": "crashed", "message": traceback.format_exc()}
    finally:
        db.close()
    done = here / f"{name}.json"
    done.with_suffix(".tmp").write_text(json.dumps(outcome, ensure_ascii=False, default=str))
    done.with_suffix(".tmp").rename(done)


def _prepare(job: str, db: Database, arg: str, name: str, rules: Any) -> Any:
    if job == "save_goal":  # ARG: the goal id; each seat types into its own field
        goal = load_goal(db, int(arg))
        field = "overall_target" if name == "张三" else "long_term_target"
        typed = {field: f"{name}输入的内容"}

        def save() -> dict[str, Any]:
            try:
                save_goal(db, goal.id, replace(goal.to_edit(), **typed), rules, goal.version)
                return {"field": field, "conflict": None}
            except StaleRecordError as exc:  # as the conflict dialog's merge: theirs + my field
                fresh = load_goal(db, goal.id)
                save_goal(db, goal.id, replace(fresh.to_edit(), **typed), rules, fresh.version)
                conflict = {"message": exc.message, "who": exc.change.who,
                            "their_values": exc.change.values, "version": exc.version}  # fmt: skip
                return {"field": field, "conflict": conflict}

        return save
    if job == "draw_sample":  # ARG: the year
        return lambda: {
            "drawn": list(draw_sample(db, int(arg), rules, seed=7, ratio=Decimal(1)).project_codes)
        }
    if job == "import_goals":  # ARG: the workbook
        return lambda: {"added": len(import_goals(db, arg, rules).added)}
    if job == "delete_project":  # ARG: the project id, moved to the 回收站
        return lambda: {"deleted": delete_project(db, int(arg))}
    raise SystemExit(f"unknown job {job}")


def _stay_inside_the_lock_until_the_others_are_done(here: Path, name: str, count: int) -> None:
    write_holder = joblock._write_holder

    def holding(*args: Any) -> None:
        write_holder(*args)
        _wait_for(lambda: len(list(here.glob("*.json"))) == count - 1)

    joblock._write_holder = holding  # type: ignore[assignment]


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the other seats never arrived")
        time.sleep(0.05)


if __name__ == "__main__":
    main(*sys.argv[1:])
