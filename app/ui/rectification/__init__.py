"""整改 page: the rectification ledger."""
