"""What the Add Client wizard hands back to the list when it closes."""

from __future__ import annotations

from dataclasses import dataclass

from dext_tui.data.services.writing import ChangeResult


@dataclass(frozen=True)
class AddClientOutcome:
    """`created`: a new client (`result` is the service's); else the user chose to open
    `client_id`, an existing client, instead of adding a duplicate."""

    client_id: int
    created: bool
    result: ChangeResult | None = None
