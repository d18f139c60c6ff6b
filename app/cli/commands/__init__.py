"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    info,
    lamps,
    report,
    rollover,
    sample,
    score,
    setup,
    transfer,
)

COMMANDS = [info, setup, demo, backup, rollover, lamps, score, sample, transfer, report]
