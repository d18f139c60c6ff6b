"""Shared machinery every step uses: audit trail, backups, 回收站, settings, listings, rollover."""
