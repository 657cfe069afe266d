"""Headless `bulk grant-access|revoke-access|set-account-manager`: same services, scope
and exit codes, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.factories import add_client, add_member, add_practice
from tests.unit.test_cli_bulk import ADMIN, CLIENT_ADMIN, STANDARD, ids_file, run

OLIVIA = ("--colleague", "olivia@example.com")


@pytest.fixture
def setup(db: Engine, tmp_path: Path):
    practice_id = add_practice(db)
    add_member(db, practice_id, "admin@example.com")
    add_member(db, practice_id, "cadmin@example.com", "client_admin")
    add_member(db, practice_id, "boss@example.com")
    add_member(db, practice_id, "std@example.com", "standard")
    olivia = add_member(db, practice_id, "olivia@example.com", "standard")
    ids = [
        add_client(db, practice_id, "Thames Water Ltd"),
        add_client(db, practice_id, "Thames Valley Ltd"),
        add_client(db, practice_id, "Severn Ltd", granted_to=[olivia]),
    ]
    return {"db": db, "url": db.url.render_as_string(hide_password=False), "ids": ids,
            "tmp": tmp_path, "olivia": olivia.team_member_id}  # fmt: skip


def access(setup) -> dict[int, tuple[bool, bool]]:
    with setup["db"].connect() as connection:
        rows = connection.execute(
            text(
                "SELECT client_id, bookkeeping, approval FROM practice_access "
                "WHERE team_member_id = :m"
            ),
            {"m": setup["olivia"]},
        ).all()
    return {row[0]: (bool(row[1]), bool(row[2])) for row in rows}


def test_grant_access_by_search_with_toggles(setup):
    first, second, severn = setup["ids"]
    result = run(
        setup, "bulk", "grant-access", *OLIVIA, "--on", "approval", "--search", "thames", *ADMIN
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Will grant Olivia access to 2 clients, with approval permission",
        "Done: Olivia was granted access to 2 clients.",
    ]
    assert access(setup) == {first: (False, True), second: (False, True), severn: (True, False)}


def test_revoke_access_dry_run_writes_nothing_then_applies(setup):
    first, _, severn = setup["ids"]
    path = ids_file(setup, str(first), str(severn))
    dry = run(setup, "bulk", "revoke-access", *OLIVIA, "--ids", path, "--dry-run", *CLIENT_ADMIN)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines() == [
        "Will revoke Olivia's access to 1 client",
        "1 skipped: has no access",
        "Dry run: nothing was written.",
    ]
    assert set(access(setup)) == {severn}
    done = run(setup, "bulk", "revoke-access", *OLIVIA, "--ids", path, *CLIENT_ADMIN)
    assert done.exit_code == 0, done.output
    assert access(setup) == {}


def test_set_account_manager_refused_by_role_exits_1_writing_nothing(setup):
    path = ids_file(setup, *map(str, setup["ids"]))
    boss = ("--colleague", "boss@example.com")
    refused = run(setup, "bulk", "set-account-manager", *boss, "--ids", path, *CLIENT_ADMIN)
    assert refused.exit_code == 1
    assert "only a practice admin can change a practice admin's access" in refused.stderr
    assert "Nothing was written." in refused.stderr
    done = run(setup, "bulk", "set-account-manager", *boss, "--ids", path, *ADMIN)
    assert done.exit_code == 0, done.output
    assert "Done: Boss is now the Prepare account manager of 3 clients." in done.stdout
    standard = run(setup, "bulk", "grant-access", *OLIVIA, "--ids", path, *STANDARD)
    assert standard.exit_code == 1


def test_colleague_usage_errors_exit_2(setup):
    path = ids_file(setup, str(setup["ids"][0]))
    assert run(setup, "bulk", "grant-access", "--ids", path, *ADMIN).exit_code == 2
    assert run(setup, "bulk", "deactivate", *OLIVIA, "--ids", path, *ADMIN).exit_code == 2
    assert (
        run(setup, "bulk", "revoke-access", *OLIVIA, "--on", "approval", "--ids", path, *ADMIN)
    ).exit_code == 2
    unknown = run(setup, "bulk", "grant-access", "--colleague", "no@x.example", "--ids", path,
                  *ADMIN)  # fmt: skip
    assert unknown.exit_code == 1
    assert "no@x.example" in unknown.stderr
