"""Is a practice code already another client's? Named only to a viewer who may see that client.

A practice code is how the practice refers to one client, so a code may belong
to one client only, compared case-insensitively (spec section 9). A client's
Solo account carries a practice code of its own (usually the client's): it
counts as that client's too, so no other client can take it, in either place.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from dext_tui.data.models import Client, SoloAccount
from dext_tui.data.scope import can_see_client
from dext_tui.data.validation import ValidationError, practice_code_key
from dext_tui.data.viewer import Viewer


def practice_code_holder(
    connection: Connection, practice_id: int, code: str, client_id: int
) -> int | None:
    """Another client (not `client_id`) whose practice code, or Solo account's, is `code`."""
    key = practice_code_key(code)
    client, solo = Client.__table__, SoloAccount.__table__
    holder = connection.execute(
        select(client.c.id).where(
            client.c.practice_id == practice_id,
            client.c.practice_code_key == key,
            client.c.id != client_id,
        )
    ).scalar()
    if holder is not None:
        return holder
    # Practice codes are ASCII (validation.py), so SQL's lower() is casefold here.
    return connection.execute(
        select(client.c.id)
        .join_from(solo, client, client.c.id == solo.c.client_id)
        .where(
            client.c.practice_id == practice_id,
            func.lower(solo.c.practice_code) == key,
            client.c.id != client_id,
        )
        .order_by(client.c.id)
        .limit(1)
    ).scalar()


def practice_code_clash(
    connection: Connection, viewer: Viewer, code: str | None, client_id: int
) -> ValidationError | None:
    """The error for `code` when another client holds it: naming that client if the
    viewer may see it, else only "already in use" (a standard user learns nothing)."""
    if not code:
        return None
    holder = practice_code_holder(connection, viewer.practice_id, code, client_id)
    if holder is None:
        return None
    if can_see_client(connection, viewer, holder):
        client = Client.__table__
        name = connection.execute(select(client.c.name).where(client.c.id == holder)).scalar_one()
        return ValidationError("practice_code", f"Practice code {code} is already used by {name}")
    return ValidationError("practice_code", f"Practice code {code} is already in use")
