"""The practice picker's data (spec 15), on both backends: every practice with its
clients counted, searched by name as the client list is (typos, legal forms) or by id;
and whether an open practice is still open to support."""

from __future__ import annotations

from sqlalchemy import Engine

from dext_tui.data.identity import resolve_viewer
from dext_tui.data.practice_picker import load_practice_list, support_refusal
from dext_tui.data.support import set_support_access
from dext_tui.data.support_identity import ACCESS_OFF
from dext_tui.data.support_people import add_support_person, deactivate_support_person
from tests.factories import FIXED_NOW, add_client, add_member, add_practice

SAM = "sam@support.example"


def names(practices, order) -> list[str]:
    return [practices.choices[position].name for position in order.tolist()]


def test_search_by_name_with_typos_legal_forms_and_by_id(db: Engine):
    ids = {
        name: add_practice(db, name)
        for name in (
            "Thames Tax Partners LLP",
            "Harbour & Vale Limited",
            "Thameside Books",
            "12 Co",
        )
    }
    admin = add_member(db, ids["Harbour & Vale Limited"], "admin@harbour.example")
    add_client(db, admin.practice_id, "Acme Ltd")
    add_client(db, admin.practice_id, "Gone Ltd", state="removed")
    practices = load_practice_list(db)
    assert names(practices, practices.search("")) == [  # name order
        "12 Co",
        "Harbour & Vale Limited",
        "Thames Tax Partners LLP",
        "Thameside Books",
    ]
    counts = {choice.name: choice.clients for choice in practices.choices}
    assert counts["Harbour & Vale Limited"] == 1  # the removed client is not counted
    assert names(practices, practices.search("thams tax")) == ["Thames Tax Partners LLP"]
    assert names(practices, practices.search("harbour and vale ltd")) == ["Harbour & Vale Limited"]
    assert sorted(names(practices, practices.search("thame"))) == [
        "Thames Tax Partners LLP",
        "Thameside Books",
    ]
    by_id = practices.search(str(ids["Thameside Books"]))
    assert names(practices, by_id)[0] == "Thameside Books"
    assert names(practices, practices.search("zzqx")) == []


def test_support_refusal_follows_the_practice_switch_and_the_identity(db: Engine):
    practice = add_practice(db, "Alder & Co")
    admin = add_member(db, practice, "admin@alder.example")
    add_support_person(db, "Sam Support", SAM, None, FIXED_NOW)
    viewer = resolve_viewer(db, SAM, "Alder & Co")
    assert support_refusal(db, viewer) is None
    set_support_access(db, admin, False, FIXED_NOW)
    assert support_refusal(db, viewer) == ACCESS_OFF
    set_support_access(db, admin, True, FIXED_NOW)
    deactivate_support_person(db, SAM)
    assert "deactivated" in (support_refusal(db, viewer) or "")
