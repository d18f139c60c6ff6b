"""Benchmark: build the demo county at full scale and print seconds and counts.

Run: /tmp/venv/bin/python tests/perf/bench_demo.py [scale] [database path]
Not collected by pytest (tests/perf is outside the default testpaths).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.services.demo import build_demo
from app.storage.database import open_database


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(folder) / "bench.sqlite3"
        db = open_database(path)
        started = time.perf_counter()
        summary = build_demo(db, scale=scale)
        wall = time.perf_counter() - started
        db.close()
        size_mb = path.stat().st_size / 1e6
    print(f"scale {scale}: build_demo {summary.elapsed_seconds:.2f} s (wall {wall:.2f} s)")
    for name, value in vars(summary).items():
        print(f"  {name:<22}{value}")
    print(f"  database size         {size_mb:.1f} MB")


if __name__ == "__main__":
    main()
