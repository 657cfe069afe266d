"""Why a service refused a change. Every refusal carries a message fit to show a user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dext_tui.data.validation import ValidationError


class ServiceError(Exception):
    """A change refused; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    """One or more fields broke a rule; each error names its field and the rule."""

    def __init__(self, errors: Sequence[ValidationError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(error.message for error in self.errors))

    def for_field(self, field: str) -> ValidationError | None:
        return next((error for error in self.errors if error.field == field), None)


class ClientNotFound(ServiceError):
    """Gone, or outside the viewer's scope: the two read the same, so scope leaks nothing."""

    def __init__(self, client_id: int) -> None:
        super().__init__(
            "That client no longer exists or is not shared with you; nothing was changed."
        )
        self.client_id = client_id


class StaleVersion(ServiceError):
    """Someone changed the client after the viewer read it; nothing was overwritten."""

    def __init__(
        self, client_name: str, changed_by: str | None, changed_at: datetime | None
    ) -> None:
        who = changed_by or "someone else"
        when = f" at {changed_at:%H:%M on %d %b %Y}" if changed_at else ""
        super().__init__(
            f"{client_name} was changed by {who}{when} after you opened it. "
            "Nothing was saved: look at the current values and make your change again."
        )
        self.changed_by = changed_by
        self.changed_at = changed_at


class NotAllowed(ServiceError):
    """The viewer's role or the client's lifecycle forbids this change (the message says why)."""


class DatabaseFileReplaced(ServiceError):
    """The SQLite file was deleted, replaced or moved under the app: the write was rolled
    back rather than go where no one would read it."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"The database file {path} was deleted, replaced or moved since it was opened; "
            "nothing was saved."
        )
