"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    carry,
    demo,
    disclose,
    goals,
    info,
    keyeval,
    lamps,
    library,
    monitoring,
    rectification,
    report,
    results,
    rollover,
    rules_io,
    sample,
    score,
    setup,
    transfer,
)

COMMANDS = [
    info, setup, demo, backup, rollover, rules_io, goals, monitoring, lamps, score, sample,
    results, library, keyeval, rectification, disclose, carry, transfer, report,
]  # fmt: skip
