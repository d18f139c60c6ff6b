"""操作日志: the audit trail, filtered by object type, user and date."""
