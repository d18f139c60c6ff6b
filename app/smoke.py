"""`python -m app --smoke-test [FOLDER]`: prove that a build works end to end, then exit.

packaging/check_bundle.sh runs it on the PyInstaller bundle. In a fresh folder (FOLDER, else
$JIXIAO_SMOKE_DIR, else a new temporary folder) it creates a database through the
migrations, shows the main window (offscreen is fine), fills a small demo county, shows the
window again with data, and renders the 绩效监控情况报告 as PDF, which must embed Chinese
TrueType fonts. It prints one JSON line (checks and timings) and exits 0 only if every check
passed. `cold_start_s` is process start → first window shown; the process start comes from
$JIXIAO_SMOKE_T0 (epoch seconds, set by the caller just before launching) when given.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from app import __version__, paths

log = logging.getLogger(__name__)

DEMO_SCALE = 0.05
REPORT_YEAR, REPORT_MONTH = 2025, 6
DATABASE_NAME = "jixiao.sqlite3"
REPORT_NAME = "smoke-monitoring-report.pdf"
_T = TypeVar("_T")


def run_smoke_test(argv: list[str]) -> int:
    """Run every step; print the JSON line; 0 if all checks passed, 1 otherwise."""
    t0 = _process_start()
    entered = time.time()
    folder = _folder(argv)
    log.info("冒烟测试：%s", folder)
    report: dict[str, Any] = {"version": __version__, "frozen": bool(getattr(sys, "frozen", 0))}
    timings: dict[str, float] = {"startup_s": entered - t0}
    try:
        checks = _run_steps(folder, t0, timings, report)
    except Exception as exc:  # a smoke test reports every failure as data, then exits 1
        log.exception("冒烟测试失败")
        checks = {"no_error": False}
        report["error"] = f"{type(exc).__name__}: {exc}"
    report.update(ok=all(checks.values()), checks=checks, folder=str(folder))
    report["timings"] = {key: round(value, 3) for key, value in timings.items()}
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return 0 if report["ok"] else 1


def _run_steps(
    folder: Path, t0: float, timings: dict[str, float], report: dict[str, Any]
) -> dict[str, bool]:
    from app.services.common.info import database_info
    from app.services.common.year_rules import rules_for_year
    from app.services.demo import build_demo
    from app.services.monitoring.report import write_monitoring_report
    from app.storage import migrate
    from app.storage.database import open_database
    from app.ui.smoke import show_main_window

    checks = {"data_from_bundle": _data_found_in_bundle()}
    db = _timed(timings, "open_database_s", lambda: open_database(folder / DATABASE_NAME))
    try:
        checks["schema_at_head"] = database_info(db).schema_revision == migrate.head_revision()
        first = show_main_window(db)
        timings["cold_start_s"] = time.time() - t0 - (time.perf_counter() - first.shown_at)
        timings["window_empty_s"] = first.seconds
        _timed(timings, "demo_s", lambda: build_demo(db, scale=DEMO_SCALE))
        filled = show_main_window(db, folder / "smoke-window.png")
        timings["window_with_data_s"] = filled.seconds
        checks["window_shown"] = first.shown and filled.shown
        rules = rules_for_year(db, REPORT_YEAR)
        pdf = _timed(
            timings,
            "pdf_s",
            lambda: write_monitoring_report(
                db, REPORT_YEAR, REPORT_MONTH, rules, folder / REPORT_NAME
            ),
        )
    finally:
        db.close()
    data = pdf.read_bytes()
    checks["pdf_is_pdf"] = data.startswith(b"%PDF-")
    checks["pdf_fonts_embedded"] = b"/FontFile2" in data
    report.update(
        window_title=filled.title,
        screenshot=filled.screenshot,
        pdf=str(pdf),
        pdf_bytes=len(data),
        pdf_fonts=sorted(set(_font_names(data))),
    )
    log_file = _log_file()
    if log_file is not None:
        checks["log_written"] = log_file.exists()
        report["log_file"] = str(log_file)
    return checks


def _timed(timings: dict[str, float], key: str, step: Callable[[], _T]) -> _T:
    started = time.perf_counter()
    result = step()
    timings[key] = time.perf_counter() - started
    return result


def _folder(argv: list[str]) -> Path:
    given = argv[0] if argv else os.environ.get("JIXIAO_SMOKE_DIR")
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="jixiao-smoke-"))
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / DATABASE_NAME).exists():
        raise SystemExit(f"冒烟测试需要一个新的文件夹，{folder} 中已有数据库。")
    return folder


def _process_start() -> float:
    """Epoch seconds when this process started: from the caller, else from Linux /proc."""
    given = os.environ.get("JIXIAO_SMOKE_T0")
    if given:
        return float(given)
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time()


def _data_found_in_bundle() -> bool:
    """Frozen: resources and migrations must come from the bundle, not a source tree."""
    if not getattr(sys, "frozen", False):
        return paths.default_rules_path().is_file()
    bundle = Path(sys._MEIPASS).resolve()  # type: ignore[attr-defined]
    found = (paths.resources_dir().resolve(), paths.migrations_dir().resolve())
    return all(folder.is_dir() and folder.is_relative_to(bundle) for folder in found)


def _font_names(pdf: bytes) -> list[str]:
    return [m.decode("latin-1") for m in re.findall(rb"/BaseFont /([^\s/<>\[\]]+)", pdf)]


def _log_file() -> Path | None:
    """The file the app logs to, if logging was set up (app.main does it)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.flush()
            return Path(handler.baseFilename)
    return None
