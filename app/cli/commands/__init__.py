"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import info, rollover

COMMANDS = [info, rollover]
