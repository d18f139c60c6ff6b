"""Setting a county up: the first-set-up wizard and choosing who is working."""
