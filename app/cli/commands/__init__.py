"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    info,
    keyeval,
    lamps,
    rectification,
    report,
    rollover,
    sample,
    score,
    transfer,
)

COMMANDS = [
    info, demo, backup, rollover, lamps, score, sample, keyeval, rectification, transfer, report,
]  # fmt: skip
