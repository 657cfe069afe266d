"""Issue 15: keys needed from where a screen opens to each of its actions (target: at most
two). Each Manage page and dialog is opened by keyboard from the list; the figure is then
computed from its command table (`commands.py`) and its live focus chain: an action of
the screen costs its key, plus the tabs needed first when the widget that has the focus
would take that key itself (a letter typed into a text box); an action of a widget costs
the tabs to that widget plus its key. Run with `-s` to print the table."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, TextArea

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, format_key, offered
from tests.factories import add_client
from tests.ui.conftest import search, settle

TARGET = 2


def _swallows(widget: Widget | None, key: str) -> bool:
    """Whether the focused `widget` takes `key` before the screen sees it."""
    if widget is None:
        return False
    character = key_to_character(key)
    if isinstance(widget, Input | TextArea) and character and character.isprintable():
        return True  # typed into the box
    return key in widget._bindings.key_to_bindings  # the widget's own key (enter, arrows)


def _tabs_to(chain: list[Widget], start: int, fits) -> int | None:
    """Fewest tab or shift+tab presses from chain[start] to a widget where `fits` holds."""
    for moves in range(len(chain) or 1):
        for index in (start + moves, start - moves):
            widget = chain[index % len(chain)] if chain else None
            if fits(widget):
                return moves
    return None


def _command_cost(screen: Screen, widget: Widget | None, command: Command) -> int | None:
    chain = list(screen.focus_chain)
    start = chain.index(screen.focused) if screen.focused in chain else 0
    costs = []
    for key in (key.strip() for key in command.keys.split(",")):
        if widget is None:  # the screen's own command
            if command.priority:
                costs.append(1)
                continue

            def fits(focused, key=key):
                return not _swallows(focused, key)
        else:

            def fits(focused):
                return focused is widget

        tabs = _tabs_to(chain, start, fits)
        if tabs is not None:
            costs.append(tabs + 1)
    return min(costs) if costs else None


def keys_from_opening(screen: Screen) -> list[tuple[str, str, int | None]]:
    """(action, first key, keys needed) for each action the screen offers as it opens."""
    rows = []
    places: list[tuple[Widget | None, tuple[Command, ...], Widget]] = [
        (None, screen.COMMANDS_LIST, screen)  # type: ignore[attr-defined]
    ]
    for widget in screen.focus_chain:
        if isinstance(widget, CommandBindings):
            places.append((widget, widget.COMMANDS_LIST, widget))
    seen = set()
    for widget, commands, namespace in places:
        for command in commands:
            if command.action == "help" and widget is not None:
                continue
            if (type(namespace), command.action) in seen or not offered(namespace, command):
                continue
            seen.add((type(namespace), command.action))
            key = format_key(command.keys.split(",")[0].strip())
            rows.append((command.label, key, _command_cost(screen, widget, command)))
    return rows


# (name, keys from the list with the triple-product client highlighted)
WALK = [
    ("Manage menu", ("m",)),
    ("Edit", ("m", "1")),
    ("Confirm (Remove)", ("m", "1", "f6")),
    ("History", ("m", "2")),
    ("Prepare Practice Access", ("m", "3")),
    ("Manage Users", ("m", "4")),
    ("Add user form", ("m", "4", "a")),
    ("Prepare System Settings", ("m", "5")),
    ("Precision Practice Access", ("m", "6")),
    ("Precision System Settings", ("m", "7")),
    ("Solo Edit", ("m", "8")),
    ("Product switcher", ("p",)),
    ("Filters", ("f",)),
    ("Sort", ("s",)),
    ("Tools", ("t",)),
    ("Export", ("t", "e")),
    ("Save file dialog", ("t", "e", "ctrl+s", "ctrl+o")),
    ("Upload codes", ("t", "u")),
    ("Open file dialog", ("t", "u", "ctrl+o")),
    ("Import Precision", ("i",)),
    ("Add client wizard", ("a",)),
    ("Bulk menu", ("space", "b")),
    ("Bulk preview", ("space", "b", "d")),
    ("Activity", ("v",)),
    ("Help", ("question_mark",)),
]


async def back_to_list(pilot) -> None:
    from dext_tui.screens.list.client_list import ClientListScreen

    for _ in range(6):
        if isinstance(pilot.app.screen, ClientListScreen):
            return
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(pilot.app.screen, ClientListScreen)


# The count comes from each screen's command table and focus chain, which do not depend
# on the backend: one run (the slowest test of the suite, ~28 s) is enough.
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_every_action_of_each_page_and_dialog_is_at_most_two_keys_away(
    small_practice, admin_app
):
    add_client(
        small_practice["db"], 1, "Triple Ltd", precision="active", solo="active", crn="07654321"
    )
    table: list[tuple[str, str, str, int | None]] = []
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "triple")
        for name, keys in WALK:
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            screen = pilot.app.screen
            table += [(name, *row) for row in keys_from_opening(screen)]
            await back_to_list(pilot)
            if "space" in keys:
                await pilot.press("x")  # clear the mark again
    width = max(len(f"{name} · {label}") for name, label, _key, _cost in table)
    print()
    for name, label, key, cost in table:
        print(f"{f'{name} · {label}':<{width}}  {key:<10} {cost}")
    too_far = [
        (name, label, cost) for name, label, _key, cost in table if not cost or cost > TARGET
    ]
    assert not too_far
    menu = {label: cost for name, label, _key, cost in table if name == "Manage menu"}
    pages = ["Edit", "History", "Prepare Practice Access", "Prepare Manage Users"]
    pages += ["Prepare System Settings", "Precision Practice Access"]
    pages += ["Precision System Settings", "Solo Edit"]
    assert all(menu.get(page) == 1 for page in pages)
    assert {name for name, *_ in table} == {name for name, _keys in WALK}


class _Form(CommandScreen, Screen):
    COMMANDS_LIST = (
        Command("save", "ctrl+s", "Save", "Save"),
        Command("x", "x", "Letter", "A letter key"),
        Command("y", "y", "First", "A letter key that runs before the box", priority=True),
        HELP,
    )
    BINDING_GROUP_TITLE = "Form"

    def compose(self):
        yield Input(id="box")
        yield Input(id="other")
        yield _Options("a", "b")

    def action_save(self) -> None: ...
    def action_x(self) -> None: ...
    def action_y(self) -> None: ...


class _Options(CommandBindings, OptionList):
    COMMANDS_LIST = (Command("pick", "p", "Pick", "Pick"),)

    def action_pick(self) -> None: ...


async def test_the_count_adds_the_tabs_a_focused_box_costs():
    app = App()
    async with app.run_test() as pilot:
        await app.push_screen(_Form())
        await pilot.pause()
        assert app.focused is app.screen.query_one("#box")
        costs = {label: cost for label, _key, cost in keys_from_opening(app.screen)}
        # A letter goes into the box: one shift+tab (to the list) first.
        assert costs == {"Save": 1, "Letter": 2, "First": 1, "Help": 2, "Pick": 2}
