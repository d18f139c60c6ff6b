"""结果应用: proposals and decisions from grades, the results workbook and list."""
