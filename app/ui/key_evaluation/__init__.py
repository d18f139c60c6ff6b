"""财政重点评价 page: the plan, the framework and scores of each evaluation."""
