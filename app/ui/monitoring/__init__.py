"""绩效监控 page: rounds, the project list with lamps, the entry form, the dashboard."""
