"""The one write path: every change to the practice's data goes through a service here.

Each service runs in one transaction, checks the viewer's scope with the same
rule the list reads with (`data/scope.py`), validates per spec section 9,
refuses a write based on a stale `version`, writes an audit event per change
and returns a `ChangeResult` saying what changed, so that screens and headless
commands alike can show it.
"""
