"""The county's own indicator library learned from its history, and the history checks.

Modules are imported directly (records, context, checks, proposals, suggestions): the goal
services use `context`, and this package's checks use the goal services, so the package
itself re-exports nothing.
"""
