"""Collecting departments' printed forms: the import dialog with its boards."""
