"""设置 page: backups, the operator's name, the rule set, the recycle bin, the audit log."""
