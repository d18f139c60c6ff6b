"""报告 page: preview, export and print the reports built by app.services.reports."""
