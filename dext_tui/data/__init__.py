"""Models, database, services and validation. Never imports textual (see pyproject)."""
