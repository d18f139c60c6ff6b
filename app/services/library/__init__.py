"""The indicator library: entries, search for the goal editor, the library workbook."""
