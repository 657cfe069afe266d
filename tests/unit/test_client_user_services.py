"""Manage Users: a client's own users, with exactly one owner who is protected.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from dext_tui.data.errors import ClientNotFound, InvalidInput, NotAllowed, StaleVersion
from dext_tui.data.services import fields
from dext_tui.data.services.client_users import (
    ClientUserNotFound,
    add_client_user,
    change_client_user_role,
    deactivate_client_user,
    load_client_users,
    reactivate_client_user,
    update_client_user,
)
from dext_tui.data.validation import ValidationError
from tests.factories import add_client, add_team, audit, clock, second_engine, version


def users(engine: Engine, client_id: int) -> list[tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT name, email, role, active, is_owner FROM client_user "
                "WHERE client_id = :id ORDER BY id"
            ),
            {"id": client_id},
        ).all()
    return [
        (name, email, role, bool(active), bool(owner)) for name, email, role, active, owner in rows
    ]


def user_id(engine: Engine, email: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT id FROM client_user WHERE email = :email"), {"email": email}
        ).scalar_one()


@pytest.fixture
def practice(db):
    team = add_team(db)
    practice_id, standard = team.pop("practice_id"), team["standard"]
    return {
        "db": db,
        **team,
        "thames": add_client(db, practice_id, "Thames Water Ltd", granted_to=[standard]),
        "hidden": add_client(db, practice_id, "Hidden Ltd"),
        "solo_only": add_client(db, practice_id, "Jo Bloggs", prepare=None, solo="active"),
    }


@pytest.fixture
def staffed(practice):
    """Thames with its owner (Olive) and one more user (Sam); the client at version 3."""
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    add_client_user(
        db,
        admin,
        thames,
        version=1,
        name="Olive Owner",
        email="olive@thames.example",
        role="business_admin",
    )
    add_client_user(
        db,
        admin,
        thames,
        version=2,
        name="Sam Staff",
        email="sam@thames.example",
        role="standard",
    )
    return {
        **practice,
        "olive": user_id(db, "olive@thames.example"),
        "sam": user_id(db, "sam@thames.example"),
    }


def test_the_first_user_becomes_the_owner_and_later_ones_do_not(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    first = add_client_user(
        db,
        admin,
        thames,
        version=1,
        name=" Olive Owner ",
        email=" olive@thames.example ",
        role="Business admin",
        clock=clock(),
    )
    assert first.version_of(thames) == 2
    add_client_user(
        db, admin, thames, version=2, name="Sam Staff", email="sam@thames.example", role="standard"
    )
    assert users(db, thames) == [
        ("Olive Owner", "olive@thames.example", "business_admin", True, True),
        ("Sam Staff", "sam@thames.example", "standard", True, False),
    ]
    event = audit(db, thames)[0]
    assert event.action == "client_user.added"
    assert event.team_member_id == admin.team_member_id
    assert json.loads(event.before) == {}
    assert json.loads(event.after) == {
        "user": "Olive Owner <olive@thames.example>",
        "name": "Olive Owner",
        "email": "olive@thames.example",
        "role": "business_admin",
        "owner": True,
    }
    listed = load_client_users(db, admin, thames)
    assert listed.version == 3
    assert listed.owner.email == "olive@thames.example"
    assert [user.email for user in listed.users] == ["olive@thames.example", "sam@thames.example"]


def test_the_first_user_must_be_a_business_admin(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        add_client_user(
            db, admin, thames, version=1, name="Sam", email="sam@thames.example", role="standard"
        )
    assert refused.value.for_field("role").message == (
        "The first user of Thames Water Ltd becomes its owner, who must be a business admin"
    )
    assert users(db, thames) == []
    assert version(db, thames) == 1


def test_every_bad_field_is_named_and_nothing_is_written(practice):
    db, admin, thames = practice["db"], practice["admin"], practice["thames"]
    with pytest.raises(InvalidInput) as refused:
        add_client_user(
            db, admin, thames, version=1, name="  ", email="not an email", role="superuser"
        )
    messages = {error.field: error.message for error in refused.value.errors}
    assert messages["name"] == "Name is required"
    assert messages["email"] == "Email must be an address such as name@example.com"
    assert messages["role"].startswith("Role must be one of the list (business_admin")
    assert users(db, thames) == []
    assert audit(db, thames) == []


@pytest.mark.parametrize(
    "address",
    [
        "a@b",
        "@thames.example",
        "sam@",
        "sam@@thames.example",
        "sam thames@example.com",
        "sam.@thames.example",
        "sam@-thames.example",
        "sam@thames..example",
        "sam\n@thames.example",
        "sam@thämes.example",
        "x" * 310 + "@thames.example",
    ],
)
def test_implausible_emails_are_refused(address):
    with pytest.raises(ValidationError) as refused:
        fields.email(address)
    assert refused.value.field == "email"
    assert fields.email(" sam.o'neil+x@mail.thames.example ") == "sam.o'neil+x@mail.thames.example"


def test_an_email_already_used_by_a_user_of_the_client_is_refused(staffed):
    db, admin, thames = staffed["db"], staffed["admin"], staffed["thames"]
    update_client_user(
        db, admin, thames, version=3, user_id=staffed["sam"], email="Sam@Thames.example"
    )
    with pytest.raises(InvalidInput) as refused:
        add_client_user(
            db, admin, thames, version=4, name="Sam 2", email="sam@thames.EXAMPLE", role="standard"
        )
    assert refused.value.for_field("email").message == (
        "sam@thames.EXAMPLE is already the email of Sam Staff, a user of Thames Water Ltd"
    )
    with pytest.raises(InvalidInput):
        update_client_user(
            db, admin, thames, version=4, user_id=staffed["olive"], email="sam@THAMES.example"
        )
    assert len(users(db, thames)) == 2
    # The same address at another client is another person's business.
    add_client_user(
        db,
        admin,
        staffed["hidden"],
        version=1,
        name="Sam",
        email="sam@thames.example",
        role="business_admin",
    )


def test_editing_name_and_email_audits_what_changed(staffed):
    db, admin, thames, sam = staffed["db"], staffed["admin"], staffed["thames"], staffed["sam"]
    update_client_user(
        db, admin, thames, version=3, user_id=sam, name="Samuel Staff", email="sam@thames.example"
    )
    assert users(db, thames)[1][:2] == ("Samuel Staff", "sam@thames.example")
    event = audit(db, thames)[-1]
    assert event.action == "client_user.updated"
    assert json.loads(event.before) == {
        "user": "Sam Staff <sam@thames.example>",
        "name": "Sam Staff",
    }
    assert json.loads(event.after) == {
        "user": "Samuel Staff <sam@thames.example>",
        "name": "Samuel Staff",
    }
    same = update_client_user(db, admin, thames, version=4, user_id=sam, name="Samuel Staff")
    assert same.changes == ()
    assert version(db, thames) == 4


def test_the_owners_name_and_email_can_be_corrected(staffed):
    db, thames = staffed["db"], staffed["thames"]
    update_client_user(
        db, staffed["admin"], thames, version=3, user_id=staffed["olive"], email="o@thames.example"
    )
    assert users(db, thames)[0] == ("Olive Owner", "o@thames.example", "business_admin", True, True)


def test_changing_a_users_role(staffed):
    db, admin, thames, sam = staffed["db"], staffed["admin"], staffed["thames"], staffed["sam"]
    change_client_user_role(db, admin, thames, version=3, user_id=sam, role="user_admin")
    assert users(db, thames)[1][2] == "user_admin"
    event = audit(db, thames)[-1]
    assert event.action == "client_user.role_changed"
    assert json.loads(event.before) == {
        "user": "Sam Staff <sam@thames.example>",
        "role": "standard",
    }
    assert json.loads(event.after) == {
        "user": "Sam Staff <sam@thames.example>",
        "role": "user_admin",
    }
    with pytest.raises(InvalidInput) as refused:
        change_client_user_role(db, admin, thames, version=4, user_id=sam, role="owner")
    assert refused.value.for_field("role") is not None
    same = change_client_user_role(db, admin, thames, version=4, user_id=sam, role="user_admin")
    assert same.changes == ()
    assert version(db, thames) == 4


def test_the_owner_cannot_be_re_roled_or_deactivated(staffed):
    db, admin, thames, olive = staffed["db"], staffed["admin"], staffed["thames"], staffed["olive"]
    with pytest.raises(NotAllowed) as refused:
        change_client_user_role(db, admin, thames, version=3, user_id=olive, role="standard")
    assert refused.value.message == (
        "Olive Owner is the owner of Thames Water Ltd: the owner cannot be given another role. "
        "A client always has exactly one owner."
    )
    with pytest.raises(NotAllowed) as refused:
        deactivate_client_user(db, admin, thames, version=3, user_id=olive)
    assert "the owner cannot be deactivated" in refused.value.message
    assert users(db, thames)[0] == (
        "Olive Owner",
        "olive@thames.example",
        "business_admin",
        True,
        True,
    )
    assert version(db, thames) == 3


def test_deactivate_and_reactivate_a_user(staffed):
    db, admin, thames, sam = staffed["db"], staffed["admin"], staffed["thames"], staffed["sam"]
    deactivate_client_user(db, admin, thames, version=3, user_id=sam)
    assert users(db, thames)[1][3] is False
    again = deactivate_client_user(db, admin, thames, version=4, user_id=sam)
    assert again.changes == ()
    reactivate_client_user(db, admin, thames, version=4, user_id=sam)
    assert users(db, thames)[1][3] is True
    assert [event.action for event in audit(db, thames)][-2:] == [
        "client_user.deactivated",
        "client_user.reactivated",
    ]
    assert json.loads(audit(db, thames)[-2].after) == {
        "user": "Sam Staff <sam@thames.example>",
        "active": False,
    }
    # Only a new client's first user is its owner, however many are inactive.
    add_client_user(
        db, admin, thames, version=5, name="Ann", email="ann@thames.example", role="standard"
    )
    assert [user[4] for user in users(db, thames)] == [True, False, False]


def test_a_user_of_another_client_is_not_reachable_through_this_one(staffed):
    db, admin, hidden = staffed["db"], staffed["admin"], staffed["hidden"]
    with pytest.raises(ClientUserNotFound):
        deactivate_client_user(db, admin, hidden, version=1, user_id=staffed["sam"])
    assert users(db, staffed["thames"])[1][3] is True


def test_a_client_without_prepare_has_no_users_to_manage(practice):
    db, admin, solo_only = practice["db"], practice["admin"], practice["solo_only"]
    with pytest.raises(NotAllowed) as refused:
        add_client_user(
            db,
            admin,
            solo_only,
            version=1,
            name="Jo",
            email="jo@example.com",
            role="business_admin",
        )
    assert refused.value.message.startswith("Jo Bloggs has no Prepare account")
    with pytest.raises(NotAllowed):
        load_client_users(db, admin, solo_only)
    assert users(db, solo_only) == []
    with db.begin() as connection:  # users left from a Prepare account since closed
        connection.execute(
            text(
                "INSERT INTO client_user (client_id, name, email, role, active, is_owner) "
                "VALUES (:id, 'Jo', 'jo@example.com', 'standard', true, false)"
            ),
            {"id": solo_only},
        )
    with pytest.raises(NotAllowed):
        deactivate_client_user(
            db, admin, solo_only, version=1, user_id=user_id(db, "jo@example.com")
        )
    assert users(db, solo_only)[0][3] is True


def test_a_standard_user_manages_users_of_granted_clients_only(practice):
    db, standard = practice["db"], practice["standard"]
    with pytest.raises(ClientNotFound):
        add_client_user(
            db,
            standard,
            practice["hidden"],
            version=1,
            name="Jo",
            email="jo@example.com",
            role="business_admin",
        )
    with pytest.raises(ClientNotFound):
        load_client_users(db, standard, practice["hidden"])
    assert users(db, practice["hidden"]) == []
    add_client_user(
        db,
        standard,
        practice["thames"],
        version=1,
        name="Jo",
        email="jo@example.com",
        role="business_admin",
    )
    assert len(load_client_users(db, standard, practice["thames"]).users) == 1


def test_a_stale_users_page_is_refused_after_another_sessions_change(staffed):
    db, thames = staffed["db"], staffed["thames"]
    other = second_engine(db)
    try:
        change_client_user_role(
            other,
            staffed["colleague"],
            thames,
            version=3,
            user_id=staffed["sam"],
            role="user_admin",
        )
        with pytest.raises(StaleVersion) as refused:
            deactivate_client_user(db, staffed["admin"], thames, version=3, user_id=staffed["sam"])
    finally:
        other.dispose()
    assert "Colleague" in refused.value.message
    assert users(db, thames)[1][2:4] == ("user_admin", True)
