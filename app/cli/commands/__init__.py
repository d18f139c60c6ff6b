"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    disclose,
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
    info, demo, backup, rollover, lamps, score, sample, keyeval, rectification, disclose, transfer,
    report,
]  # fmt: skip
