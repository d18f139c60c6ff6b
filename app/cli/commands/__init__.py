"""Sub-command modules; each has register(subparsers) and sets a handler(args, db)."""

from app.cli.commands import (
    backup,
    demo,
    goals_check,
    info,
    lamps,
    library,
    report,
    rollover,
    sample,
    score,
    transfer,
)

COMMANDS = [
    info,
    demo,
    backup,
    rollover,
    lamps,
    score,
    sample,
    transfer,
    report,
    library,
    goals_check,
]
