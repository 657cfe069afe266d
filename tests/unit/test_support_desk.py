"""The support desk (spec 15, issue 19) on both backends: a support identity sees nothing
until it names a practice, reads it as a client admin would, writes only while elevated
(and never deletes or touches practice admins' access), every visit, elevation and change
is audited on behalf of the practice, and the practice's switch is honoured mid-session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from dext_tui.data import roles
from dext_tui.data.activity import activity_page
from dext_tui.data.client_record import load_history
from dext_tui.data.errors import NotAllowed, ServiceError
from dext_tui.data.identity import IdentityError, resolve_viewer
from dext_tui.data.roles import Action
from dext_tui.data.scope import can_see_client
from dext_tui.data.services.clients import delete_client, update_client
from dext_tui.data.services.practice_access import set_practice_access
from dext_tui.data.support import elevate, record_visit, set_support_access
from dext_tui.data.support_identity import ACCESS_OFF, SupportNeedsPractice, practice_choices
from dext_tui.data.support_people import (
    add_support_person,
    deactivate_support_person,
    support_people,
)
from tests.factories import FIXED_NOW, add_client, add_member, add_practice, clock, version

SAM = "sam@support.example"


@pytest.fixture
def desk(db: Engine) -> dict:
    """Two practices, each with an admin and a client; one support person."""
    a = add_practice(db, "Alder & Co")
    b = add_practice(db, "Birch Partners")
    world = {
        "db": db,
        "a": a,
        "b": b,
        "admin_a": add_member(db, a, "admin@alder.example", login_name="alder"),
        "client_admin_a": add_member(db, a, "ca@alder.example", "client_admin"),
        "admin_b": add_member(db, b, "admin@birch.example"),
        "client_a": add_client(db, a, "Thames Water Ltd", code="TW1"),
        "client_b": add_client(db, b, "Severn Trent plc", code="ST1"),
    }
    add_support_person(db, "Sam Support", SAM, "sam", FIXED_NOW)
    return world


def sam(desk: dict, practice: str = "Alder & Co"):
    return resolve_viewer(desk["db"], SAM, practice)


def elevated(desk: dict, minutes: int = 30, reason: str = "TICKET-4711"):
    return elevate(desk["db"], sam(desk), reason, FIXED_NOW, minutes)


def code_of(db: Engine, client_id: int) -> str | None:
    with db.connect() as connection:
        return connection.execute(
            text("SELECT practice_code FROM client WHERE id = :id"), {"id": client_id}
        ).scalar_one()


def events(db: Engine) -> list:
    with db.connect() as connection:
        return connection.execute(
            text(
                "SELECT practice_id, team_member_id, support_person_id, client_id, action, "
                "reason FROM audit_event WHERE action <> 'client.created' ORDER BY id"
            )
        ).all()


# -- who they are -----------------------------------------------------------------------
def test_support_identity_sees_no_practice_until_it_names_one(desk):
    with pytest.raises(SupportNeedsPractice, match="--practice NAME\\|ID"):
        resolve_viewer(desk["db"], SAM)


def test_support_identity_resolves_by_login_name_too(desk, monkeypatch):
    monkeypatch.delenv("DEXT_USER", raising=False)
    monkeypatch.setattr("dext_tui.data.identity.os_login_name", lambda: "sam")
    viewer = resolve_viewer(desk["db"], None, str(desk["b"]))
    assert (viewer.practice_id, viewer.role, viewer.team_member_id) == (desk["b"], "support", None)


def test_practice_by_name_any_case_or_id_and_unknown_refused(desk):
    assert sam(desk, "alder & co").practice_id == desk["a"]
    assert sam(desk, str(desk["b"])).practice_name == "Birch Partners"
    with pytest.raises(IdentityError, match="No practice matches 'Oak'"):
        sam(desk, "Oak")


def test_two_practices_of_one_name_ask_for_the_id(desk):
    add_practice(desk["db"], "Birch Partners")
    with pytest.raises(IdentityError, match="2 practices are named"):
        sam(desk, "Birch Partners")


def test_team_member_never_resolves_into_another_practice(desk):
    with pytest.raises(IdentityError, match="team member of Alder & Co and sees only"):
        resolve_viewer(desk["db"], "admin@alder.example", "Birch Partners")
    with pytest.raises(IdentityError, match="sees only"):
        resolve_viewer(desk["db"], "admin@alder.example", str(desk["b"]))
    own = resolve_viewer(desk["db"], "admin@alder.example", "Alder & Co")
    assert own.practice_id == desk["a"] and own.role == "practice_admin"
    with desk["db"].connect() as connection:
        assert not can_see_client(connection, own, desk["client_b"])


def test_team_member_login_name_wins_over_support(desk, monkeypatch):
    add_support_person(desk["db"], "Alder Twin", "twin@support.example", "alder", FIXED_NOW)
    monkeypatch.delenv("DEXT_USER", raising=False)
    monkeypatch.setattr("dext_tui.data.identity.os_login_name", lambda: "alder")
    assert resolve_viewer(desk["db"]).email == "admin@alder.example"


def test_inactive_support_identity_is_refused(desk):
    assert deactivate_support_person(desk["db"], SAM.upper()) is True
    with pytest.raises(IdentityError, match="inactive"):
        sam(desk)


def test_support_people_are_kept_apart_from_team_members(desk):
    with pytest.raises(ServiceError, match="already a team member's email"):
        add_support_person(desk["db"], "X", "ADMIN@alder.example", None, FIXED_NOW)
    with pytest.raises(ServiceError, match="already support's email"):
        add_support_person(desk["db"], "X", SAM, None, FIXED_NOW)
    assert [p.email for p in support_people(desk["db"])] == [SAM]


def test_picker_lists_every_practice_with_clients_and_products(desk):
    choices = {c.name: c for c in practice_choices(desk["db"])}
    assert choices["Alder & Co"].clients == 1
    assert choices["Birch Partners"].products == ("Prepare", "Precision", "Solo")


# -- read-only until elevated ------------------------------------------------------------
def test_support_reads_only_the_practice_it_opened(desk):
    viewer = sam(desk)
    with desk["db"].connect() as connection:
        assert can_see_client(connection, viewer, desk["client_a"], include_removed=False)
        assert not can_see_client(connection, viewer, desk["client_b"])
    assert roles.may(viewer, Action.EXPORT) and roles.may(viewer, Action.HISTORY)
    assert roles.refusal(viewer, Action.EDIT_DETAILS) == "read-only: elevate to change"


def test_support_cannot_write_without_elevation(desk):
    db, client = desk["db"], desk["client_a"]
    with pytest.raises(NotAllowed, match="read-only: elevate to change"):
        update_client(db, sam(desk), client, version=version(db, client), practice_code="TW9")
    assert code_of(db, client) == "TW1"
    assert events(db) == []


def test_elevation_needs_a_reason(desk):
    with pytest.raises(ServiceError, match="Give a reason"):
        elevate(desk["db"], sam(desk), "   ", FIXED_NOW)
    assert events(desk["db"]) == []


def test_elevated_write_is_audited_on_behalf_of_the_practice(desk):
    db, client = desk["db"], desk["client_a"]
    record_visit(db, sam(desk), FIXED_NOW)
    viewer = elevated(desk)
    assert viewer.elevated_until == FIXED_NOW + timedelta(minutes=30)
    update_client(
        db, viewer, client, version=version(db, client), practice_code="TW9", clock=clock()
    )
    assert code_of(db, client) == "TW9"
    person = support_people(db)[0].id
    assert events(db) == [
        (desk["a"], None, person, None, "support.opened", None),
        (desk["a"], None, person, None, "support.elevated", "TICKET-4711"),
        (desk["a"], None, person, client, "client.updated", "TICKET-4711"),
    ]
    admin = desk["admin_a"]
    words = [line.words for line in activity_page(db, admin).lines]
    assert words == [
        "Sam Support on behalf of Alder & Co edited Thames Water Ltd",
        "Sam Support on behalf of Alder & Co elevated to change the practice (support)",
        "Sam Support on behalf of Alder & Co opened the practice (support)",
        "Admin added Thames Water Ltd",
    ]
    assert activity_page(db, admin).lines[1].details == ("reason: TICKET-4711",)
    assert load_history(db, admin, client)[0].who == "Sam Support on behalf of Alder & Co"
    # Nothing of the other practice moved, and it saw nothing.
    assert code_of(db, desk["client_b"]) == "ST1"
    assert [line.words for line in activity_page(db, desk["admin_b"]).lines] == [
        "Admin added Severn Trent plc"
    ]


def test_elevation_expires_on_the_writers_clock(desk):
    db, client = desk["db"], desk["client_a"]
    viewer = elevated(desk, minutes=30)
    later = clock(FIXED_NOW + timedelta(minutes=30))
    with pytest.raises(NotAllowed, match="elevation expired at 10:00"):
        update_client(db, viewer, client, version=version(db, client), name="X", clock=later)
    assert code_of(db, client) == "TW1"
    assert [e.action for e in events(db)] == ["support.elevated"]


def test_elevated_support_never_deletes_nor_changes_practice_admins_access(desk):
    db, client = desk["db"], desk["client_a"]
    viewer = elevated(desk)
    with pytest.raises(NotAllowed, match="deleting clients permanently"):
        delete_client(db, viewer, client, version=version(db, client), clock=clock())
    with pytest.raises(NotAllowed, match="practice admin's access"):
        set_practice_access(
            db,
            viewer,
            client,
            version=version(db, client),
            team_member_id=desk["admin_a"].team_member_id,
            approval=True,
            clock=clock(),
        )
    assert not roles.may(viewer, Action.RESTORE) and not roles.may(viewer, Action.SEE_REMOVED)
    assert [e.action for e in events(db)] == ["support.elevated"]


# -- the practice's switch ----------------------------------------------------------------
def test_support_access_off_is_honoured_mid_session(desk):
    db, client = desk["db"], desk["client_a"]
    viewer = elevated(desk)
    assert set_support_access(db, desk["admin_a"], False, FIXED_NOW) is True
    with pytest.raises(NotAllowed, match=ACCESS_OFF):
        update_client(db, viewer, client, version=version(db, client), name="X", clock=clock())
    with pytest.raises(NotAllowed, match=ACCESS_OFF):
        elevate(db, viewer, "again", FIXED_NOW)
    with pytest.raises(IdentityError, match=ACCESS_OFF):
        sam(desk)
    assert sam(desk, "Birch Partners").practice_id == desk["b"]  # only the one practice
    assert code_of(db, client) == "TW1"
    assert set_support_access(db, desk["admin_a"], True, FIXED_NOW) is True
    assert sam(desk).practice_id == desk["a"]


def test_only_practice_admins_turn_support_access(desk):
    db = desk["db"]
    with pytest.raises(NotAllowed, match="only practice admins"):
        set_support_access(db, desk["client_admin_a"], False, FIXED_NOW)
    with pytest.raises(NotAllowed, match="own practice admins"):
        set_support_access(db, elevated(desk), False, FIXED_NOW)
    assert set_support_access(db, desk["admin_a"], True, FIXED_NOW) is False  # already on
    assert sam(desk).practice_id == desk["a"]


def test_deactivated_support_identity_is_refused_mid_session(desk):
    db, client = desk["db"], desk["client_a"]
    viewer = elevated(desk)
    deactivate_support_person(db, SAM)
    with pytest.raises(NotAllowed, match="no longer an active support identity"):
        update_client(db, viewer, client, version=version(db, client), name="X", clock=clock())
    assert code_of(db, client) == "TW1"


def test_elevated_support_undoes_its_own_change_and_only_its_own(desk):
    """Undo finds a support person's last change by the support person (team_member_id
    is empty for them), puts it back on behalf of the practice, and nobody else may."""
    from dext_tui.data.services.undo import apply_undo, last_batch_of, preview_undo

    db, client = desk["db"], desk["client_a"]
    viewer = elevated(desk)
    update_client(
        db, viewer, client, version=version(db, client), practice_code="TW9", clock=clock()
    )
    batch = last_batch_of(db, viewer)
    assert batch is not None
    assert last_batch_of(db, desk["admin_a"]) != batch  # the admin's last change is the add
    with pytest.raises(NotAllowed, match="Only the person who made a change"):
        preview_undo(db, desk["admin_a"], batch)
    apply_undo(db, viewer, preview_undo(db, viewer, batch), clock=clock())
    assert code_of(db, client) == "TW1"
    person = support_people(db)[0].id
    assert events(db)[-1][:3] == (desk["a"], None, person)
