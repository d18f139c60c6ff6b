"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    info,
    lamps,
    report,
    rollover,
    rules_io,
    sample,
    score,
    transfer,
)

COMMANDS = [info, demo, backup, rollover, rules_io, lamps, score, sample, transfer, report]
