"""Whole-year jobs take the job lock (storage/joblock.py) in the name of this seat's operator:
drawing the sample, rolling forward, closing a round, every import. A second seat is refused
with the holder's name and start time instead of racing the first one."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from app.services.common import audit
from app.storage import joblock
from app.storage.database import Database

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def running(db: Database, job: str, year: int = joblock.ANY_YEAR) -> Iterator[None]:
    with db.session() as session:
        who = audit.actor(session)
    with joblock.held(db, job, year, who):
        yield


def exclusive(
    job: str, *, per_year: bool = False
) -> Callable[[Callable[Concatenate[Database, P], R]], Callable[Concatenate[Database, P], R]]:
    """Run the decorated service `f(db, …)` as `job`; with `per_year`, its second argument is
    the year, and jobs of other years run alongside."""

    def wrap(f: Callable[Concatenate[Database, P], R]) -> Callable[Concatenate[Database, P], R]:
        def run(db: Database, /, *args: P.args, **kwargs: P.kwargs) -> R:
            year = args[0] if per_year else joblock.ANY_YEAR
            assert isinstance(year, int)
            with running(db, job, year):
                return f(db, *args, **kwargs)

        functools.update_wrapper(run, f)  # keeps the service's name and notes
        return run

    return wrap
