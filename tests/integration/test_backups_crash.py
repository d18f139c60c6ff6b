"""An import killed with SIGKILL leaves the database as it was, or with the whole import.

Slow (it starts several processes): run with `-m slow`; tests/perf/kill_import.py does the
same with more runs and prints the tally.
"""

from __future__ import annotations

import os

import pytest

from tests.perf.kill_import import run_iterations


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")
def test_a_killed_import_is_all_or_nothing(tmp_path):
    lines: list[str] = []
    tally = run_iterations(runs=3, projects=5000, seed=3, folder=tmp_path, report=lines.append)
    assert tally.runs == 3, lines
    assert tally.partial == 0, lines
    assert tally.integrity_ok == 3, lines
