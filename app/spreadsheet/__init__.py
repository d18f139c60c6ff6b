"""spreadsheet layer."""
