"""Activity: the practice's log of changes, newest first (spec 14)."""
