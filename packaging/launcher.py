"""Entry point of the PyInstaller bundle: exactly `python -m app`, made safe without a console.

A windowed Windows executable has no console, so sys.stdout and sys.stderr are None and the
first print() or flush would raise. They go to the null device instead (the log file still
records everything; the command-line executable jixiao-cli.exe has real streams).
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

import app.__main__  # noqa: E402, F401  (runs the program and exits, as `python -m app` does)
