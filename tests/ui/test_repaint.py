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
from dext_tui.widgets.one_line import OneLine
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


async def test_a_cursor_move_repaints_the_gutter_and_name_of_the_two_rows_only(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        asked: list[tuple] = []
        refresh = table.refresh

        def record(*regions, **options):
            asked.append(regions)
            return refresh(*regions, **options)

        table.refresh = record
        await pilot.press("down")
        await settle(pilot)
        assert asked and all(asked), "the whole table was repainted"
        regions = [region for regions in asked for region in regions]
        assert {region.y for region in regions} == {1, 2}  # rows 0 and 1 (line 0: header)
        # The cursor colours the gutter and name only: the cells after them look
        # the same on both rows, so they are not sent again.
        assert max(region.right for region in regions) <= table._fixed_width
        written = watch_output(admin_app)
        await pilot.press("down")
        await settle(pilot)
        runs = colour_runs_per_line(written, table_columns(admin_app).start)
        assert runs[row_line(admin_app, 1)] == runs[row_line(admin_app, 2)] == 1
        detail = admin_app.screen.query_one("#client-detail").region
        assert runs[detail.y] <= 2  # its padding joins its text


def colour_runs(strip) -> int:
    return sum(1 for segment in strip if segment.text)


async def test_a_row_goes_out_as_few_colour_runs(admin_app):
    # Ordinary cells (Active, —, Connected, counts, codes) are drawn in the row's
    # own colour: one run for Thames Water's row at 80 columns, where one per look
    # sent four and one per cell eight. Only what needs a second look (Invited,
    # Deactivated, an expired link, the Actions link) adds a run of its own, and
    # the cursor one for its gutter and name.
    for columns in (80, 200):
        app = DextApp(admin_app.engine, admin_app.viewer) if columns > 80 else admin_app
        async with app.run_test(size=(columns, 24)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(ClientTable)
            names = shown_names(app)
            lines = {name: table.render_line(row + 1) for row, name in enumerate(names)}
            assert table.cursor_row == names.index("[bold]Acme[/] Ltd")
            acme, thames = lines["[bold]Acme[/] Ltd"], lines["Thames Water Ltd"]
            esc = lines["Esc \x1b[31mRed\x1b[0m Ltd"]
            # At 200 columns "Actions" shows too: its link look and the blank after.
            extra = 0 if columns == 80 else 2
            assert colour_runs(thames) == 1 + extra
            assert colour_runs(acme) == 2 + extra  # the cursor's gutter and name, the rest
            assert colour_runs(esc) == 3 + extra  # "Invited" in its own colour
            assert all(colour_runs(strip) <= 5 + extra for strip in lines.values())


async def test_focus_moving_to_and_from_the_table_repaints_its_cursor_row_only(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = admin_app.screen.query_one(ClientTable)
        table.focus()
        await settle(pilot)
        spans = watch_repaints(admin_app)
        await pilot.press("slash")  # to the search box
        await settle(pilot)
        cursor = {row_line(admin_app, table.cursor_row)}
        assert drawn(spans, table_columns(admin_app)) & table_lines(admin_app) == cursor
        spans.clear()
        table.focus()  # and back
        await settle(pilot)
        assert drawn(spans, table_columns(admin_app)) & table_lines(admin_app) == cursor


async def test_a_status_line_repaints_only_the_cells_whose_text_changed(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        count = admin_app.screen.query_one("#client-count", OneLine)
        region = count.content_region
        count.say("Showing 5 of 5 clients")
        await settle(pilot)
        spans = watch_repaints(admin_app)
        count.say("Showing 4 of 5 clients")
        await settle(pilot)
        changed = region.x + len("Showing ")
        assert [span for span in spans if span[0] == region.y] == [(region.y, changed, changed + 1)]
        spans.clear()
        count.say("Showing 4 of 5 clients")  # the same words: nothing to draw
        await settle(pilot)
        assert spans == []


async def test_a_cursor_move_draws_a_detail_read_ahead_in_the_same_update_as_the_rows(
    admin_app,
):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the detail of the rows beside the cursor has been read
        screen = admin_app.screen
        screen.load_detail = lambda *args, **kwargs: None  # no fresh read from here on
        updates: list[set[int]] = []
        display = admin_app._display

        def record(target, renderable) -> None:
            if isinstance(renderable, ChopsUpdate):
                updates.append({y for y, _start, _end in renderable.spans})
            display(target, renderable)

        admin_app._display = record
        await pilot.press("down")
        await settle(pilot)
        detail = screen.query_one("#client-detail")
        assert str(detail.render()).startswith("Esc ␛[31mRed")  # the second row's client
        assert updates[0] == {row_line(admin_app, 0), row_line(admin_app, 1), detail.region.y}
