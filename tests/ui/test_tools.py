"""The Tools: menu, Upload practice codes and Export client list, driven from the keyboard
and checked against the database and the files written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from sqlalchemy import text
from textual.widgets import Input, Static

from dext_tui.app import DextApp
from dext_tui.data.services.clients import update_client
from dext_tui.data.services.writing import ChangeResult
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.tools.export_list import ExportListScreen
from dext_tui.screens.tools.file_dialogs import OpenCsvDialog, SaveCsvDialog
from dext_tui.screens.tools.tools_menu import ToolsMenuScreen
from dext_tui.screens.tools.upload_codes import UploadCodesScreen
from dext_tui.widgets.row_table import RowTable
from tests.ui.conftest import settle


def codes(db) -> dict[str, str | None]:
    with db.connect() as connection:
        return dict(connection.execute(text("SELECT name, practice_code FROM client")).all())


def client_id(db, name: str) -> int:
    with db.connect() as connection:
        return connection.execute(
            text("SELECT id FROM client WHERE name = :name"), {"name": name}
        ).scalar_one()


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_screen(pilot, screen) -> list:
    """Push `screen` over the list; returns the list its dismissal value lands in."""
    await settle(pilot)
    results: list = []
    pilot.app.push_screen(screen, results.append)
    await settle(pilot)
    return results


async def choose_file(pilot, path: Path) -> None:
    screen = pilot.app.screen
    screen.query_one("#upload-path", Input).value = str(path)
    screen.query_one("#upload-path", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def write_csv(tmp_path: Path, body: str, name: str = "codes.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body.encode())
    return path


# -- the menu -------------------------------------------------------------------------
async def test_tools_menu_keys(admin_app: DextApp) -> None:
    async with admin_app.run_test(size=(80, 24)) as pilot:
        for keys, expected in ((("u",), "upload"), (("down", "enter"), "export"),
                               (("escape",), None), (("enter",), "upload")):  # fmt: skip
            results = await open_screen(pilot, ToolsMenuScreen())
            await pilot.press(*keys)
            await settle(pilot)
            assert results == [expected]


# -- upload ---------------------------------------------------------------------------
async def test_upload_previews_then_applies_after_saying_what_it_writes(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = write_csv(
        tmp_path,
        "client_name,practice_code\r\nThames Water Ltd,TW2\r\nSleepy Ltd,\r\n"
        "Nobody Ltd,NB1\r\nSolo Trader,SOLO1\r\n",
    )
    async with admin_app.run_test(size=(80, 24)) as pilot:
        results = await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await choose_file(pilot, path)
        screen = admin_app.screen
        assert "4 rows: 2 to update · 0 unchanged · 1 skipped · 1 with errors" in shown(
            screen, "#upload-totals"
        )
        table = screen.query_one(RowTable)
        assert table.row_count == 4
        first = table.source.rows[int(table.order[0])]
        assert first.outcome == "error" and "Nobody Ltd" in first.reason  # problems first
        assert codes(db)["Thames Water Ltd"] == "TW1"  # nothing written by the check

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, ConfirmScreen)
        said = shown(admin_app.screen, "#confirm-consequences")
        assert "2 rows will be written, 2 skipped (1 with errors, 1 without a code)" in said
        await pilot.press("ctrl+y")
        await settle(pilot)

    assert len(results) == 1 and isinstance(results[0], ChangeResult)
    thames, solo = client_id(db, "Thames Water Ltd"), client_id(db, "Solo Trader")
    assert set(results[0].client_ids) == {thames, solo}
    now = codes(db)
    assert (now["Thames Water Ltd"], now["Solo Trader"], now["Sleepy Ltd"]) == (
        "TW2",
        "SOLO1",
        None,
    )


async def test_cancelling_the_confirmation_writes_nothing(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = write_csv(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\n")
    before = codes(db)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        results = await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await choose_file(pilot, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # cancel the confirmation
        await settle(pilot)
        assert isinstance(admin_app.screen, UploadCodesScreen)
        await pilot.press("escape")  # and leave
        await settle(pilot)
    assert results == [None]
    assert codes(db) == before


async def test_a_file_that_is_not_csv_says_why_and_offers_nothing_to_apply(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    before = codes(db)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await choose_file(pilot, path)
        screen = admin_app.screen
        assert "not a CSV file" in shown(screen, "#upload-status")
        assert screen.query_one("#upload-apply").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(admin_app.screen, UploadCodesScreen)  # no confirmation offered
        assert "Select a file first" in shown(screen, "#upload-status")
    assert codes(db) == before


async def test_select_file_opens_the_picker(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = write_csv(tmp_path, "client_name,practice_code\r\nThames Water Ltd,TW2\r\n")
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await pilot.press("ctrl+o")
        await settle(pilot)
        dialog = admin_app.screen
        assert isinstance(dialog, OpenCsvDialog)
        dialog.query_one(Input).value = str(path)
        dialog.query_one(Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, UploadCodesScreen)
        assert screen.query_one("#upload-path", Input).value == str(path)
        assert "1 to update" in shown(screen, "#upload-totals")


async def save_through_dialog(pilot, key: str, target: Path) -> None:
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, SaveCsvDialog)
    dialog.query_one(Input).value = str(target)
    dialog.query_one(Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_rejected_rows_and_the_template_are_saved(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = write_csv(
        tmp_path, "client_name,practice_code,note\r\nNobody Ltd,NB1,x\r\nThames Water Ltd,=1\r\n"
    )
    rejected, template = tmp_path / "fix-me.csv", tmp_path / "template.csv"
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await choose_file(pilot, path)
        await save_through_dialog(pilot, "ctrl+r", rejected)
        assert "Saved 2 rejected rows" in shown(admin_app.screen, "#upload-status")
        await save_through_dialog(pilot, "ctrl+t", template)
        assert "Saved the template" in shown(admin_app.screen, "#upload-status")
    rows = list(csv.reader(io.StringIO(rejected.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["client_name", "practice_code", "note", "error"]
    assert rows[1][:3] == ["Nobody Ltd", "NB1", "x"]
    assert "No client named Nobody Ltd" in rows[1][3]
    assert rows[2][1] == "'=1"  # a formula in the file comes back neutralised
    assert template.read_bytes().startswith(b"\xef\xbb\xbfclient_id,crn,client_name,practice_code")


async def test_enter_in_the_save_dialog_saves_to_the_name_shown(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    path = write_csv(tmp_path, "client_name,practice_code\r\nNobody Ltd,NB1\r\n")
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, UploadCodesScreen(db, small_practice["admin"]))
        await choose_file(pilot, path)
        await pilot.press("ctrl+r")
        await settle(pilot)
        dialog = admin_app.screen
        assert isinstance(dialog, SaveCsvDialog)
        assert admin_app.focused is dialog.query_one(Input)  # not the file list's `..`
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(admin_app.screen, UploadCodesScreen)
        assert (tmp_path / f"{path.stem}-rejected.csv").is_file()  # not in the parent
        assert not (tmp_path.parent / f"{path.stem}-rejected.csv").exists()
        await pilot.press("ctrl+r")
        await settle(pilot)
        admin_app.screen.query_one("DirectoryNavigation").focus()
        await pilot.press("ctrl+s")  # the dialog's own key for Save, wherever the focus is
        await settle(pilot)
        assert isinstance(admin_app.screen, UploadCodesScreen)


async def test_a_standard_user_cannot_reach_a_hidden_client(
    small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    app = DextApp(db, small_practice["standard"])
    path = write_csv(
        tmp_path, "client_name,practice_code\r\nSolo Trader,S1\r\nThames Water Ltd,ESC\r\n"
    )
    before = codes(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, UploadCodesScreen(db, small_practice["standard"]))
        await choose_file(pilot, path)
        rows = app.screen.query_one(RowTable).source.rows
        reasons = sorted(row.reason for row in rows)
        assert reasons == [
            "No client named Solo Trader on your list",
            "Practice code ESC is already in use",
        ]
        assert app.screen.query_one("#upload-apply").disabled
    assert codes(db) == before


async def test_a_code_taken_meanwhile_refuses_the_apply_and_checks_again(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db, admin = small_practice["db"], small_practice["admin"]
    path = write_csv(tmp_path, "client_name,practice_code\r\nThames Water Ltd,NEW1\r\n")
    async with admin_app.run_test(size=(80, 24)) as pilot:
        results = await open_screen(pilot, UploadCodesScreen(db, admin))
        await choose_file(pilot, path)
        update_client(db, admin, client_id(db, "Solo Trader"), version=1, practice_code="new1")
        before = codes(db)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        screen = admin_app.screen
        assert isinstance(screen, UploadCodesScreen)
        assert "changed since the file was checked" in shown(screen, "#upload-status")
        assert "1 with errors" in shown(screen, "#upload-totals")  # checked again
        assert codes(db) == before
    assert results == []


# -- export ---------------------------------------------------------------------------
def exported(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode(), newline="")))


async def test_export_everything_then_download(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    target = tmp_path / "list.csv"
    async with admin_app.run_test(size=(80, 24)) as pilot:
        results = await open_screen(pilot, ExportListScreen(db, small_practice["admin"], None, ""))
        screen = admin_app.screen
        assert screen.query_one("#export-download").disabled  # nothing to download yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Ready: 5 clients" in shown(screen, "#export-status")
        assert screen.query_one("#export-progress").percentage == 1.0
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert f"Saved 5 clients to {target}" in shown(screen, "#export-status")
        await pilot.press("escape")
        await settle(pilot)
    assert results == [None]
    rows = exported(target)
    assert rows[0][:2] == ["Client ID", "Client name"]
    assert len(rows) == 6


async def test_export_the_current_view_in_its_order(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    view = np.array([client_id(db, "Thames Water Ltd"), client_id(db, "Sleepy Ltd")], np.int64)
    target = tmp_path / "view.csv"
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ExportListScreen(db, small_practice["admin"], view, "search “t”"))
        screen = admin_app.screen
        # The current view is chosen from the start, and the scope choice has the focus.
        assert admin_app.focused is screen.query_one("#export-scope")
        await pilot.press("f2")  # as ctrl+s, for terminals with flow control
        await settle(pilot)
        assert "Ready: 2 clients" in shown(screen, "#export-status")
        screen.query_one("#export-scope").focus()  # Ready moved it to Download
        await pilot.press("down", "enter", "f2")  # the second choice: every client
        await settle(pilot)
        assert "Ready: 5 clients" in shown(screen, "#export-status")
        screen.query_one("#export-scope").focus()
        await pilot.press("up", "enter", "f2")
        await settle(pilot)
        assert "Ready: 2 clients" in shown(screen, "#export-status")
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+g")
        await settle(pilot)
    assert [row[1] for row in exported(target)[1:]] == ["Thames Water Ltd", "Sleepy Ltd"]


async def test_export_asks_before_replacing_and_never_writes_half_a_file(
    admin_app: DextApp, small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    target = tmp_path / "list.csv"
    target.write_bytes(b"last week's export")
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ExportListScreen(db, small_practice["admin"], None, ""))
        screen = admin_app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(admin_app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert target.read_bytes() == b"last week's export"
        screen.query_one("#export-path", Input).value = str(tmp_path / "gone" / "list.csv")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "Could not save" in shown(screen, "#export-status")
        assert not (tmp_path / "gone").exists()
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
    assert len(exported(target)) == 6


async def test_a_standard_user_exports_only_their_clients(
    small_practice: dict, tmp_path: Path
) -> None:
    db = small_practice["db"]
    app = DextApp(db, small_practice["standard"])
    target = tmp_path / "mine.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ExportListScreen(db, small_practice["standard"], None, ""))
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+g")
        await settle(pilot)
    assert sorted(row[1] for row in exported(target)[1:]) == [
        "Thames Water Ltd",
        "[bold]Acme[/] Ltd",
    ]
