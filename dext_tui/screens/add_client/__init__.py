"""The Add Client wizard (issue 7): `AddClientScreen(engine, viewer)`, dismissed with an
`AddClientOutcome`, or None when cancelled."""

from dext_tui.screens.add_client.outcome import AddClientOutcome
from dext_tui.screens.add_client.wizard import AddClientScreen

__all__ = ["AddClientOutcome", "AddClientScreen"]
