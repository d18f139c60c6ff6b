"""绩效目标 page: the year's projects and their goals."""
