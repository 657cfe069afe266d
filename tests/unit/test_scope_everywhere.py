"""A standard user reaches no unassigned client by any path of the app (spec section 6):
the list and its count, search by name, CRN and code, the product views, Manage and its
pages, Add Client (duplicates, code clashes), Import, Export, Upload and the headless
commands. Each path is asked about the one client the user was not granted; none may show
it, name it, or treat it differently from a client that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from dext_tui.cli import main
from dext_tui.data.client_record import load_client_record
from dext_tui.data.client_rows import (
    count_clients,
    load_all_rows,
    load_client_detail,
    load_first_matches,
    load_first_rows,
    load_rows_by_ids,
)
from dext_tui.data.client_view import ClientQuery, ClientView
from dext_tui.data.csv_files import read_csv_bytes
from dext_tui.data.duplicates import find_duplicates
from dext_tui.data.errors import ClientNotFound, InvalidInput
from dext_tui.data.export import build_export, search_view_ids
from dext_tui.data.identity import resolve_viewer
from dext_tui.data.product_columns import load_product_columns
from dext_tui.data.services.client_users import load_client_users
from dext_tui.data.services.clients import deactivate_client, update_client
from dext_tui.data.services.new_client import PrepareDraft, create_prepare_client
from dext_tui.data.services.practice_access import load_practice_access
from dext_tui.data.services.practice_code_upload import check_upload
from dext_tui.data.services.precision import load_precision_settings
from dext_tui.data.services.precision_import import load_import
from dext_tui.data.services.prepare import load_prepare_settings
from dext_tui.data.services.solo import load_solo_details
from tests.factories import add_client, add_member, add_practice

SECRET = "Secret Holdings Ltd"
SECRET_CRN = "02222222"
SECRET_CODE = "SH1"


@pytest.fixture
def practice(db):
    practice_id = add_practice(db)
    add_member(db, practice_id, "admin@example.com")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    with db.begin() as connection:
        connection.execute(
            text("UPDATE team_member SET can_add_clients = true WHERE id = :i"),
            {"i": standard.team_member_id},
        )
    standard = resolve_viewer(db, "std@example.com")
    granted = add_client(
        db,
        practice_id,
        "Granted Bakery Ltd",
        crn="01111111",
        code="GB1",
        precision="active",
        solo="active",
        granted_to=[standard],
    )
    secret = add_client(
        db, practice_id, SECRET, crn=SECRET_CRN, code=SECRET_CODE, precision=None, solo="active"
    )
    with db.begin() as connection:  # waiting in Precision, the same business as the secret one
        connection.execute(
            text(
                "INSERT INTO precision_source_client (practice_id, name, crn, software, "
                "import_state) VALUES (:p, 'Secret Holdings Limited', :crn, 'xero', 'pending')"
            ),
            {"p": practice_id, "crn": SECRET_CRN},
        )
    return {"db": db, "standard": standard, "granted": granted, "secret": secret}


def test_list_count_search_and_product_views(practice):
    db, viewer, secret = practice["db"], practice["standard"], practice["secret"]
    rows = load_all_rows(db, viewer)
    assert list(rows.ids) == [practice["granted"]]
    assert list(load_first_rows(db, viewer, 50).ids) == [practice["granted"]]
    assert count_clients(db, viewer) == 1
    assert len(load_rows_by_ids(db, viewer, [secret])) == 0
    assert load_client_detail(db, viewer, secret) is None
    view = ClientView(rows)
    for typed in ("secret", "Secret Holdings", SECRET_CRN, SECRET_CODE, "sh"):
        assert len(view.apply(ClientQuery(search=typed))) == 0, typed
        assert len(load_first_matches(db, viewer, typed, 50, 1)) == 0, typed
        for product in ("prepare", "precision", "solo"):
            assert len(view.apply(ClientQuery(search=typed, product=product))) == 0
    for product in ("prepare", "precision", "solo"):
        assert secret not in load_product_columns(db, viewer, product).values


def test_manage_and_every_page_read_it_as_missing(practice):
    db, viewer, secret = practice["db"], practice["standard"], practice["secret"]
    assert load_client_record(db, viewer, secret) is None
    for load in (
        load_solo_details,
        load_prepare_settings,
        load_precision_settings,
        load_practice_access,
        load_client_users,
    ):
        with pytest.raises(ClientNotFound):
            load(db, viewer, secret)
    with pytest.raises(ClientNotFound):
        update_client(db, viewer, secret, version=1, name="Mine Now Ltd")
    with pytest.raises(ClientNotFound):
        deactivate_client(db, viewer, secret, version=1)


def test_add_client_neither_names_it_as_a_duplicate_nor_as_holding_a_code(practice):
    db, viewer = practice["db"], practice["standard"]
    assert find_duplicates(db, viewer, name=SECRET, crn=SECRET_CRN, practice_code=SECRET_CODE) == []
    with pytest.raises(InvalidInput) as refused:
        create_prepare_client(
            db, viewer, PrepareDraft(name="New Co Ltd", practice_code=SECRET_CODE)
        )
    assert "already in use" in str(refused.value)
    assert "Secret" not in str(refused.value)


def test_import_never_proposes_or_offers_it(practice):
    data = load_import(practice["db"], practice["standard"])
    assert practice["secret"] not in set(int(i) for i in data.candidates.ids)
    assert all(
        proposal is None or proposal.client_id != practice["secret"] for proposal in data.proposals
    )


def test_export_and_upload_leave_it_out(practice):
    db, viewer, secret = practice["db"], practice["standard"], practice["secret"]
    assert SECRET not in build_export(db, viewer).data.decode("utf-8-sig")
    only_granted = build_export(db, viewer, [secret, practice["granted"]]).data.decode("utf-8-sig")
    assert SECRET not in only_granted and "Granted Bakery Ltd" in only_granted
    assert search_view_ids(db, viewer, "secret") == []
    upload = (
        f"client_name,practice_code\r\n{SECRET},NEW1\r\n"
        "Granted Bakery Ltd,SH1\r\nNobody Ltd,NEW2\r\n"
    ).encode()
    preview = check_upload(db, viewer, read_csv_bytes(upload))
    unknown, taken, missing = preview.rows
    assert unknown.outcome == taken.outcome == missing.outcome == "error"
    assert unknown.client_id is None
    # said exactly as of a client that does not exist
    assert unknown.reason.replace(SECRET, "X") == missing.reason.replace("Nobody Ltd", "X")
    assert "already in use" in taken.reason and "Secret" not in taken.reason
    crn_upload = f"crn,practice_code\r\n{SECRET_CRN},NEW1\r\n".encode()
    (row,) = check_upload(db, viewer, read_csv_bytes(crn_upload)).rows
    assert row.outcome == "error" and row.client_id is None


def test_headless_commands_apply_the_scope(practice, tmp_path: Path):
    url = practice["db"].url.render_as_string(hide_password=False)
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        main, ["export", "--out", str(out), "--db", url, "--user", "std@example.com"]
    )
    assert result.exit_code == 0, result.output
    exported = out.read_text(encoding="utf-8-sig")
    assert "Granted Bakery Ltd" in exported and SECRET not in exported
    upload = tmp_path / "codes.csv"
    upload.write_text(f"client_name,practice_code\n{SECRET},NEW1\n")
    result = CliRunner().invoke(
        main, ["codes", "upload", str(upload), "--db", url, "--user", "std@example.com"]
    )
    assert result.exit_code == 1
    with practice["db"].connect() as connection:
        code = connection.execute(
            text("SELECT practice_code FROM client WHERE id = :i"), {"i": practice["secret"]}
        ).scalar()
    assert code == SECRET_CODE
