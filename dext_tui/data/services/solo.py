"""Solo Edit (spec section 7): the CRN, practice code, National Insurance number and
postcode of a client's Solo account.

Each is optional (a sole trader often has no CRN) and checked per spec section 9.

The Solo practice code must not belong to another client: it may be the
client's own practice code (as it usually is) or a code no other client uses,
compared case-insensitively, against other clients' practice codes and their
Solo accounts' codes alike. Why: a practice code is how the practice names one
client, and staff look a client up by it; a Solo account answering to another
client's code would send them, or the practice's own systems, to the wrong
client. The database has no unique index on the Solo code, so the check is in
the service; it cannot race, as every writer of a practice holds the practice's
change lock (`writing.py`) for its whole transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row

from dext_tui.data.errors import InvalidInput
from dext_tui.data.services.client_changes import (
    changing_client,
    commit_change,
    product_account,
    read_client,
    update_account,
)
from dext_tui.data.services.clients import UNCHANGED
from dext_tui.data.services.fields import collect
from dext_tui.data.services.practice_codes import practice_code_clash
from dext_tui.data.services.writing import ChangeResult, Clock, utc_now
from dext_tui.data.validation import (
    normalize_crn,
    normalize_ni_number,
    normalize_postcode,
    normalize_practice_code,
)
from dext_tui.data.viewer import Viewer

SOLO_FIELDS = ("crn", "practice_code", "ni_number", "postcode")


@dataclass(frozen=True)
class SoloDetails:
    """What the Solo Edit page shows; `version` is the client's, to save against."""

    client_id: int
    client_name: str
    version: int
    status: str
    crn: str | None
    practice_code: str | None
    ni_number: str | None
    postcode: str | None


def load_solo_details(engine: Engine, viewer: Viewer, client_id: int) -> SoloDetails:
    """The client's Solo account; ClientNotFound out of scope, NotAllowed without Solo."""

    def read(connection: Connection, client: Row) -> SoloDetails:
        account = product_account(connection, client, "solo", ", ".join(SOLO_FIELDS))
        return SoloDetails(
            client.id,
            client.name,
            client.version,
            account.status,
            *(getattr(account, name) for name in SOLO_FIELDS),
        )

    return read_client(engine, viewer, client_id, read)


def update_solo_details(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    crn: Any = UNCHANGED,
    practice_code: Any = UNCHANGED,
    ni_number: Any = UNCHANGED,
    postcode: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Change the fields given (empty clears one); one `solo.updated` event if any changed."""
    values = collect(
        {
            "crn": (crn, normalize_crn),
            "practice_code": (practice_code, normalize_practice_code),
            "ni_number": (ni_number, normalize_ni_number),
            "postcode": (postcode, normalize_postcode),
        },
        UNCHANGED,
    )
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        account = product_account(writer.connection, client, "solo", ", ".join(SOLO_FIELDS))
        changed = {name: value for name, value in values.items() if getattr(account, name) != value}
        if not changed:
            return writer.result()
        if "practice_code" in changed:
            clash = practice_code_clash(
                writer.connection, writer.viewer, changed["practice_code"], client.id
            )
            if clash:
                raise InvalidInput([clash])
        update_account(writer, "solo", client.id, changed)
        before = {name: getattr(account, name) for name in changed}
        commit_change(writer, client, "solo.updated", before, changed)
        return writer.result()
