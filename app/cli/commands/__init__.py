"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import backup, info, lamps, sample, score

COMMANDS = [info, backup, lamps, score, sample]
