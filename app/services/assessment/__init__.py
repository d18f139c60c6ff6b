"""事前绩效评估: which projects need one, the assessments, and the summary report."""
