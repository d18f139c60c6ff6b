"""“Who is working” has one owner (app/services/setup/operator.py): nothing else asks the OS
for a login name to print as 审核人 / 复核人 / 抽取人. The audit trail's own column (audit.
os_user) and the writer lock's holder (who has the file open) are the two allowed reads."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ALLOWED = {"services/common/audit.py", "storage/lock.py"}
LOGIN = re.compile(r"getpass|getuser\(|getlogin\(|environ\[.USER|USERNAME")


def test_only_the_audit_column_and_the_lock_read_the_os_login():
    readers = {
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if LOGIN.search(path.read_text(encoding="utf-8"))
    }
    assert readers == ALLOWED


def test_review_records_take_the_actor_from_the_operator_identity():
    """Services name the person through audit.actor, which asks services.setup.operator."""
    audit = (APP / "services" / "common" / "audit.py").read_text(encoding="utf-8")
    assert "return operator.actor(session)" in audit
