"""The county's own indicator library learned from its history, and the history checks.

Modules are imported directly (records, context, checks, proposals, suggestions,
section_export): the goal services use `context`, and `checks` uses the goal services,
so the package itself re-exports nothing.
"""
