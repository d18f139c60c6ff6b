"""Composition root: logging, paths, then the command line or the GUI."""

from __future__ import annotations

import argparse
import gc
import logging
import logging.handlers
import sys
from pathlib import Path

from app import paths


def setup_logging() -> None:
    folder = paths.log_dir()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "app.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def start_up_done() -> None:
    """The process entry (app/__main__.py) pauses the collector while the start-up imports
    build ~100,000 objects that live until the end: its passes over them found nothing and
    cost a command 0.06 s. They are set aside for good, and the collector runs again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--smoke-test"]:  # release check of a build: see app/smoke.py
        from app.smoke import run_smoke_test

        setup_logging()
        start_up_done()
        return run_smoke_test(argv[1:])
    gui_only = argparse.ArgumentParser(add_help=False)
    gui_only.add_argument("--db", type=Path)
    known, rest = gui_only.parse_known_args(argv)
    if not rest:
        # No command: start the GUI without loading every command's modules (and with
        # them openpyxl, matplotlib, numpy), which would double the start-up time.
        setup_logging()
        from app.ui.application import run_gui

        start_up_done()
        return run_gui(known.db)
    from app.cli import build_parser, run_command

    args = build_parser(argv).parse_args(argv)
    setup_logging()
    start_up_done()
    if args.command:
        return run_command(args)
    from app.ui.application import run_gui

    return run_gui(args.db)
