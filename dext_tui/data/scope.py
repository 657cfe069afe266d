"""Which clients a viewer may see and change (spec section 6): one rule for reads and writes.

Practice admins and client admins see every client of their practice; standard
users only those that practice access grants them. Removed clients are off the
list; practice admins alone may still see them (under the Removed filter) and
restore them. A client outside the scope is reported exactly as a client that
does not exist, so a standard user never learns that it does.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from dext_tui.data.viewer import Viewer


def scope_condition(
    viewer: Viewer, *, include_removed: bool = False, scan: bool = False, alias: str = "c"
) -> tuple[str, dict]:
    """` WHERE ...` over `client {alias}`: the clients `viewer` may see; and its parameters.

    `include_removed`: removed clients too, for the viewers allowed to see them.
    `scan`: the caller reads (nearly) the whole table, so walking the table in
    storage order beats any index; the unary plus keeps planners off the index.
    """
    practice = f"{'+' if scan else ''}{alias}.practice_id = :scope_practice_id"
    where = [practice]
    params: dict = {"scope_practice_id": viewer.practice_id}
    if not (include_removed and viewer.sees_removed_clients):
        where.append(f"{alias}.state <> 'removed'")
    if not viewer.sees_all_clients:
        where.append(
            "EXISTS (SELECT 1 FROM practice_access scope_access "
            f"WHERE scope_access.client_id = {alias}.id "
            "AND scope_access.team_member_id = :scope_member_id)"
        )
        params["scope_member_id"] = viewer.team_member_id
    return " WHERE " + " AND ".join(where), params


def can_see_client(
    connection: Connection, viewer: Viewer, client_id: int, *, include_removed: bool = True
) -> bool:
    where, params = scope_condition(viewer, include_removed=include_removed)
    found = connection.execute(
        text("SELECT 1 FROM client c" + where + " AND c.id = :client_id"),
        {**params, "client_id": client_id},
    ).first()
    return found is not None
