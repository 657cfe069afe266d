"""Is a practice code already another client's? Named only to a viewer who may see that client.

A practice code is how the practice refers to one client, so a code may belong
to one client only, compared case-insensitively (spec section 9). A client's
Solo account carries a practice code of its own (usually the client's): it
counts as that client's too, so no other client can take it, in either place.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from dext_tui.data.scope import can_see_client
from dext_tui.data.validation import ValidationError, practice_code_key
from dext_tui.data.viewer import Viewer


def practice_code_holder(
    connection: Connection, practice_id: int, code: str, client_id: int
) -> int | None:
    """Another client (not `client_id`) whose practice code, or Solo account's, is `code`."""
    key = practice_code_key(code)
    holder = connection.execute(
        text(
            "SELECT id FROM client WHERE practice_id = :practice_id "
            "AND practice_code_key = :key AND id <> :client_id"
        ),
        {"practice_id": practice_id, "key": key, "client_id": client_id},
    ).scalar()
    if holder is not None:
        return holder
    # Practice codes are ASCII (validation.py), so SQL's lower() is casefold here.
    return connection.execute(
        text(
            "SELECT c.id FROM solo_account s JOIN client c ON c.id = s.client_id "
            "WHERE c.practice_id = :practice_id AND lower(s.practice_code) = :key "
            "AND c.id <> :client_id ORDER BY c.id LIMIT 1"
        ),
        {"practice_id": practice_id, "key": key, "client_id": client_id},
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
        name = connection.execute(
            text("SELECT name FROM client WHERE id = :id"), {"id": holder}
        ).scalar_one()
        return ValidationError("practice_code", f"Practice code {code} is already used by {name}")
    return ValidationError("practice_code", f"Practice code {code} is already in use")
