"""The rule set a page works with: its year's rules, kept in the database (设置 → 规则集).

A page asks for the rules on every use (cheap: the service keeps the parsed text until it
changes) and, when it is shown again, whether they changed since it last used them: the
user edited or imported the year's rules in 设置, restored a backup or opened another
database. Then scores, grades and lamps computed by the old rules are dropped and read
again. Checking on show needs no signal wiring: the user always leaves a page to go to 设置.
"""

from __future__ import annotations

from app.domain.errors import UserError
from app.domain.rules import RuleSet
from app.services.common.year_rules import rules_for_year
from app.storage.database import Database


class PageRules:
    """`fixed` rules (tests) are used as given; otherwise the year's rules."""

    def __init__(self, fixed: RuleSet | None = None) -> None:
        self._fixed = fixed
        self._used: RuleSet | None = None

    def get(self, db: Database, year: int | None) -> RuleSet:
        """The rules to compute with now (raises UserError when the stored rules are wrong)."""
        rules = self._fixed or rules_for_year(db, year)
        self._used = rules
        return rules

    def changed(self, db: Database, year: int | None) -> bool:
        """Whether the rules differ from the ones last used (wrong rules count as a change,
        so that the page reloads and says what is wrong)."""
        if self._used is None or self._fixed is not None:
            return False
        try:
            return rules_for_year(db, year) != self._used
        except UserError:
            return True
