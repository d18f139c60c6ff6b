"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    carry,
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
    info, demo, backup, rollover, lamps, score, sample, keyeval, rectification, disclose, carry,
    transfer,
    report,
]  # fmt: skip
