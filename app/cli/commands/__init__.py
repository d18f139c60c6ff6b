"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    goals,
    info,
    lamps,
    monitoring,
    report,
    results,
    rollover,
    sample,
    score,
    setup,
    transfer,
)

COMMANDS = [
    info, setup, demo, backup, rollover, goals, monitoring, lamps, score, sample, results,
    transfer, report,
]  # fmt: skip
