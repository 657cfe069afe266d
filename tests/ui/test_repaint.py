"""What goes to the terminal per key: only the lines whose look changed.

Each update the app hands the terminal is read as the set of screen lines it
draws (Textual computes it in headless runs too, then drops it), so these tests
say which lines a key repaints, not how long it takes.
"""

from __future__ import annotations

import re

from textual._compositor import ChopsUpdate, CompositorUpdate

from dext_tui.app import DextApp
from dext_tui.data.services.clients import update_client
from dext_tui.widgets.client_table import ClientTable
from tests.factories import add_client, add_member, add_practice
from tests.ui.conftest import settle
from tests.ui.test_client_list import shown_names
from tests.ui.test_live_list import client_id

Span = tuple[int, int, int]  # screen line, first column, column after the last


def watch_repaints(app: DextApp) -> list[Span]:
    """From now on, what each update sent to the terminal draws."""
    spans: list[Span] = []
    display = app._display

    def record(screen, renderable) -> None:
        if isinstance(renderable, ChopsUpdate):
            spans.extend(renderable.spans)
        elif isinstance(renderable, CompositorUpdate):  # the whole screen at once
            spans.extend((y, 0, app.size.width) for y in range(app.size.height))
        display(screen, renderable)

    app._display = record
    return spans


def drawn(spans: list[Span], columns: range | None = None) -> set[int]:
    """The lines drawn (with `columns`: drawn within those columns)."""
    if columns is None:
        return {y for y, _start, _end in spans}
    return {y for y, start, end in spans if start < columns.stop and end > columns.start}


def table_lines(app: DextApp) -> set[int]:
    """The lines of the table's header and rows drawn (not its scrollbars)."""
    region = app.screen.query_one(ClientTable).scrollable_content_region
    return set(range(region.y, region.bottom))


def table_columns(app: DextApp) -> range:
    region = app.screen.query_one(ClientTable).scrollable_content_region
    return range(region.x, region.right)


def row_line(app: DextApp, row: int) -> int:
    """The screen line of the table's `row` (the header is the table's first line)."""
    table = app.screen.query_one(ClientTable)
    return table.content_region.y + 1 + row - int(table.scroll_y)


async def test_moving_the_cursor_repaints_the_two_rows_and_the_detail_line(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        spans = watch_repaints(admin_app)
        await pilot.press("down")
        await settle(pilot)
        detail = admin_app.screen.query_one("#client-detail").region.y
        assert drawn(spans) == {row_line(admin_app, 0), row_line(admin_app, 1), detail}


async def test_an_answer_that_changes_nothing_on_screen_draws_nothing(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        spans = watch_repaints(admin_app)
        admin_app.screen.run_query()  # the same query answered again: the same rows
        await settle(pilot)
        assert drawn(spans) == set()


async def test_a_search_repaints_only_the_rows_whose_content_changed(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "l", "t", "d")  # every "Ltd" client, in name order
        await settle(pilot)
        before = shown_names(admin_app)
        spans = watch_repaints(admin_app)
        await pilot.press("backspace")  # "lt": the same clients in the same places
        await settle(pilot)
        assert shown_names(admin_app) == before
        # (Textual's Input lays the screen out again as its text grows or shrinks,
        # which repaints the table's scrollbars: those are not rows.)
        assert drawn(spans, table_columns(admin_app)) & table_lines(admin_app) == set()


async def test_a_row_changed_in_place_is_repainted_alone(small_practice):
    db, admin = small_practice["db"], small_practice["admin"]
    app = DextApp(db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = shown_names(app).index("Solo Trader")
        spans = watch_repaints(app)
        solo = client_id(db, "Solo Trader")
        update_client(db, admin, solo, version=1, name="Solo Traders")
        app.screen.show_changed_clients([solo])  # patched into the loaded rows in place
        await settle(pilot)
        assert shown_names(app)[row] == "Solo Traders"
        assert drawn(spans, table_columns(app)) & table_lines(app) == {row_line(app, row)}


async def test_scrolling_repaints_the_rows_not_the_header(sqlite_db):
    practice_id = add_practice(sqlite_db)
    admin = add_member(sqlite_db, practice_id, "admin@example.com")
    for number in range(60):
        add_client(sqlite_db, practice_id, f"Client {number:02d} Ltd")
    app = DextApp(sqlite_db, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        spans = watch_repaints(app)
        await pilot.press("pagedown")
        await settle(pilot)
        table = app.screen.query_one(ClientTable)
        assert int(table.scroll_y) > 0
        header = table.content_region.y
        assert header not in drawn(spans, table_columns(app))
        assert row_line(app, table.cursor_row) in drawn(spans, table_columns(app))


SGR_OPEN = re.compile(r"\x1b\[[0-9;]*[1-9][0-9;]*m")  # a colour or attribute set, not a reset
MOVE_TO = re.compile(r"\x1b\[(\d+);(\d+)H")


def watch_output(app: DextApp) -> list[str]:
    """From now on, what each update writes to the terminal."""
    written: list[str] = []
    display = app._display

    def record(screen, renderable) -> None:
        if isinstance(renderable, ChopsUpdate):
            written.append(renderable.render_segments(app.console))
        display(screen, renderable)

    app._display = record
    return written


def colour_runs_per_line(written: list[str], first_column: int) -> dict[int, int]:
    """Screen line -> colour sequences sent for the piece of it that starts at
    `first_column` (0-based; the compositor moves the cursor before each piece)."""
    runs: dict[int, int] = {}
    for output in written:
        pieces = MOVE_TO.split(output)  # text, row, column, text, row, column, text ...
        for index in range(1, len(pieces) - 2, 3):
            line, column = int(pieces[index]) - 1, int(pieces[index + 1]) - 1
            if column == first_column:
                runs[line] = runs.get(line, 0) + len(SGR_OPEN.findall(pieces[index + 2]))
    return runs


async def test_a_row_goes_out_as_one_colour_run_per_look_not_one_per_cell(admin_app):
    # Acme's row at 80 columns: its name and the gap, two green "Active", a grey "—",
    # then counts and CRN in the row's colour: four looks, where one segment per
    # cell sent eight colour sequences.
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown_names(admin_app)[0] == "[bold]Acme[/] Ltd"
        written = watch_output(admin_app)
        await pilot.press("down")
        await settle(pilot)
        runs = colour_runs_per_line(written, table_columns(admin_app).start)
        assert runs[row_line(admin_app, 0)] == 4
        assert runs[row_line(admin_app, 1)] <= 4  # Esc: Invited, then two "—", then counts
        detail = admin_app.screen.query_one("#client-detail").region
        assert runs[detail.y] <= 2  # its padding joins its text
