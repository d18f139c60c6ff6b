"""Sub-command modules; each has register(subparsers) and sets a handler(args, db).

Running one command imports only its module (`modules_for`): the others, and all they
import, cost a command's start 0.03 s. Help, or a word that is no command, gets them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

# Module → the top-level commands it registers, in the order help lists them.
COMMAND_NAMES: dict[str, tuple[str, ...]] = {
    "info": ("info",),
    "setup": ("init", "units"),
    "demo": ("demo",),
    "backup": ("backup",),
    "rollover": ("rollover",),
    "rules_io": ("rules",),
    "goals": ("goals",),
    "monitoring": ("monitoring",),
    "lamps": ("lamps",),
    "score": ("score",),
    "sample": ("sample",),
    "results": ("results",),
    "library": ("library",),
    "keyeval": ("keyeval",),
    "rectification": ("rectification",),
    "disclose": ("disclose",),
    "carry": ("carry",),
    "transfer": ("import", "export"),
    "report": ("report",),
}
_HELP = ("-h", "--help")


def modules_for(argv: Sequence[str] | None = None) -> list[ModuleType]:
    """The module of the command `argv` runs; every module without argv, for help, or for a
    word that names no command (argparse then lists the choices)."""
    command = _command_in(argv) if argv is not None else None
    chosen = [m for m, names in COMMAND_NAMES.items() if command in names] or list(COMMAND_NAMES)
    return [import_module(f"{__name__}.{m}") for m in chosen]


def _command_in(argv: Sequence[str]) -> str | None:
    """The first word that is no option or option value (the global options all take one)."""
    takes_value = False
    for token in argv:
        if takes_value:
            takes_value = False
        elif token in _HELP:
            return None
        elif token.startswith("-"):
            takes_value = "=" not in token
        else:
            return token
    return None
