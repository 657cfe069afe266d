"""Headless `bulk` and `activity`: same services, scope and exit codes, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from dext_tui.cli import main
from tests.factories import add_client, add_member, add_practice

ADMIN = ("--user", "admin@example.com")
CLIENT_ADMIN = ("--user", "cadmin@example.com")
STANDARD = ("--user", "std@example.com")


@pytest.fixture
def setup(db: Engine, tmp_path: Path):
    practice_id = add_practice(db)
    add_member(db, practice_id, "admin@example.com")
    add_member(db, practice_id, "cadmin@example.com", "client_admin")
    standard = add_member(db, practice_id, "std@example.com", "standard")
    ids = [
        add_client(db, practice_id, "Thames Water Ltd", granted_to=[standard]),
        add_client(db, practice_id, "Thames Valley Ltd"),
        add_client(db, practice_id, "Paused Ltd", state="deactivated"),
    ]
    return {"db": db, "url": db.url.render_as_string(hide_password=False), "ids": ids,
            "tmp": tmp_path}  # fmt: skip


def run(setup, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", setup["url"]])


def ids_file(setup, *lines: str) -> str:
    path = setup["tmp"] / "ids.txt"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def states(setup) -> list[str]:
    with setup["db"].connect() as connection:
        rows = connection.execute(text("SELECT id, state FROM client ORDER BY id")).all()
    return [state for _, state in rows]


def test_bulk_deactivate_from_a_file_of_ids(setup):
    first, second, paused = setup["ids"]
    path = ids_file(setup, str(first), "# a comment", "", str(second), str(paused))
    result = run(setup, "bulk", "deactivate", "--ids", path, *CLIENT_ADMIN)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2 will be deactivated",
        "1 skipped: already deactivated",
        "Done: 2 clients deactivated.",
    ]
    assert states(setup) == ["deactivated"] * 3


def test_bulk_by_search_with_dry_run_writes_nothing(setup):
    result = run(setup, "bulk", "remove", "--search", "thames", "--dry-run", *ADMIN)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["2 will be removed", "Dry run: nothing was written."]
    assert states(setup) == ["active", "active", "deactivated"]


def test_a_refused_client_means_nothing_is_written_exit_1(setup):
    first, _, paused = setup["ids"]
    path = ids_file(setup, str(first), str(paused), "987654")
    result = run(setup, "bulk", "reactivate", "--ids", path, *ADMIN)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: clients {paused}: reactivation waits until 2 March 2027",
        "Error: clients 987654: outside your access",
        "Error: Nothing was written.",
    ]
    assert states(setup) == ["active", "active", "deactivated"]


def test_role_refusals_exit_1_naming_the_rule(setup):
    path = ids_file(setup, str(setup["ids"][0]))
    standard = run(setup, "bulk", "deactivate", "--ids", path, *STANDARD)
    assert standard.exit_code == 1
    assert "does not allow bulk actions" in standard.stderr
    restore = run(setup, "bulk", "restore", "--ids", path, *CLIENT_ADMIN)
    assert restore.exit_code == 1 and "restoring removed clients" in restore.stderr
    assert states(setup) == ["active", "active", "deactivated"]


def test_a_bad_ids_file_is_refused_line_by_line(setup):
    path = ids_file(setup, "12", "Thames", "3.5")
    result = run(setup, "bulk", "remove", "--ids", path, *ADMIN)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: line 2: 'Thames' is not a client id",
        "Error: line 3: '3.5' is not a client id",
        "Error: Nothing was written.",
    ]


def test_usage_errors_exit_2(setup):
    assert run(setup, "bulk", "remove", *ADMIN).exit_code == 2
    assert run(setup, "bulk", "explode", "--search", "x", *ADMIN).exit_code == 2


def test_activity_as_text_and_csv_with_filters(setup):
    path = ids_file(setup, *(str(i) for i in setup["ids"][:2]))
    assert run(setup, "bulk", "deactivate", "--ids", path, *CLIENT_ADMIN).exit_code == 0
    text_out = run(setup, "activity", "--by", "cadmin@example.com", *ADMIN)
    assert text_out.exit_code == 0, text_out.output
    (line,) = text_out.stdout.splitlines()
    assert line.endswith("  Cadmin deactivated 2 clients")
    csv_out = run(setup, "activity", "--client", str(setup["ids"][0]), "--format", "csv", *ADMIN)
    assert csv_out.exit_code == 0, csv_out.output
    rows = csv_out.stdout.splitlines()
    assert rows[0] == "at,by,action,clients,client_id,what,details"
    assert [row.split(",")[2] for row in rows[1:]] == ["client.deactivated", "client.created"]
    since = run(setup, "activity", "--since", "2099-01-01", *ADMIN)
    assert since.exit_code == 0 and since.stdout == ""


def test_activity_is_refused_to_standard_users_and_unknown_colleagues(setup):
    standard = run(setup, "activity", *STANDARD)
    assert standard.exit_code == 1 and "activity log" in standard.stderr
    unknown = run(setup, "activity", "--by", "nobody@example.com", *ADMIN)
    assert unknown.exit_code == 1 and "nobody@example.com" in unknown.stderr
