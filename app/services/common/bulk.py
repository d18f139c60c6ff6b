"""Building many objects at once (a year's rows) without the cycle collector's pauses.

Python's cycle collector runs every few hundred new objects and walks every live object
in its oldest pass, so loading 20,000 rows (or a workbook's 270,000 cells) spends a good
part of its time collecting. What is built is kept, not cyclic garbage: pausing the
collector meanwhile frees nothing that matters later, and it resumes as it was.

Everything made during the pause would still count as new: the first pass after it would
walk all of it (0.05–0.1 s after scoring a year). It goes to the oldest generation
instead, which the collector walks only when that has grown by a quarter.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # with unfreeze: every object to the oldest generation, uncounted
            gc.unfreeze()
            gc.enable()
