"""The rule set a command works with: `--rules FILE` when given, else the year's own.

A year's own rules are kept in the database (设置 → 规则集, or `rules import`), so the
command line and the GUI score, light lamps and check goals alike. Every command that needs
rules goes through `load_rules`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.rules import RuleSet, load_rule_set

if TYPE_CHECKING:
    from app.storage.database import Database

RULES_HELP = "规则集文件（TOML），仅用于本次运行（默认：数据库中该年度的规则集）"


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", type=Path, metavar="FILE", help=RULES_HELP)


def load_rules(args: argparse.Namespace, db: Database, year: int | None = None) -> RuleSet:
    """`--rules FILE` for this run only, else the rules of `year` (default: `--year`; with
    neither, the newest year's)."""
    from app.services.common.year_rules import rules_for_year

    path: Path | None = getattr(args, "rules", None)
    if path is not None:
        return load_rule_set(path.expanduser())
    return rules_for_year(db, year if year is not None else getattr(args, "year", None))
