"""The rule set a command works with: `--rules FILE` when given, else the database's own.

The database's own is the rule set chosen in 设置 → 规则集 (the shipped default until a
bureau chooses its province's file), so the command line and the GUI score, light lamps
and check goals alike. Every command that needs rules goes through `load_rules`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.rules import RuleSet, load_rule_set

if TYPE_CHECKING:
    from app.storage.database import Database

RULES_HELP = "规则集文件（TOML；默认：本数据库在“设置 → 规则集”中选用的规则集）"


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", type=Path, metavar="FILE", help=RULES_HELP)


def load_rules(args: argparse.Namespace, db: Database) -> RuleSet:
    """`--rules FILE` for this run only, else the database's active rule set."""
    from app.services.common.settings import active_rule_set

    path: Path | None = getattr(args, "rules", None)
    if path is not None:
        return load_rule_set(path.expanduser())
    return active_rule_set(db)
