"""事前评估 page: candidates, the assessment form, exemptions, totals, roll forward."""
