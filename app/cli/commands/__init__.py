"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import backup, demo, info, lamps, sample, score

COMMANDS = [info, demo, backup, lamps, score, sample]
