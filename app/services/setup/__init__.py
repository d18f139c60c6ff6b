"""基础信息: the county's names, its 股室, units and fiscal years, the first set-up of a new
database, and who is working (the operator identity). GUI and CLI call these."""
