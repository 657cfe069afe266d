"""One command machinery for every screen: keys, footer, `?` help, hint lines and palette."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual.widgets._footer import FooterKey

import dext_tui.screens
import dext_tui.widgets
from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen, bindings, format_keys
from dext_tui.screens.dialogs.help import HelpScreen
from dext_tui.screens.dialogs.refusal import RefusalScreen
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.list.filters import FiltersScreen
from dext_tui.screens.list.sort import SortScreen
from dext_tui.widgets.search_box import SearchBox
from tests.ui.conftest import settle


def _classes_in(package, base: type) -> list[type]:
    found = []
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


SCREENS = _classes_in(dext_tui.screens, Screen)
KEYED_WIDGETS = _classes_in(dext_tui.widgets, CommandBindings) + [
    cls for cls in _classes_in(dext_tui.screens, CommandBindings) if not issubclass(cls, Screen)
]


def help_groups(app) -> dict[str, list[tuple[str, str]]]:
    """The help screen as the user reads it: {heading: [(keys, description), ...]}."""
    text = str(app.screen.query_one("#help-keys", Static).render())
    groups: dict[str, list[tuple[str, str]]] = {}
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if "  " not in line:
            rows = groups.setdefault(line, [])
        else:
            keys, description = re.split(r" {2,}", line, maxsplit=1)
            rows.append((keys, description))
    return groups


def hint_text(app) -> str:
    return str(app.screen.query_one(".dialog-hint", Label).render())


def test_every_screen_is_found():
    assert {ClientListScreen, FiltersScreen, SortScreen, HelpScreen, RefusalScreen} <= set(SCREENS)
    assert SearchBox in KEYED_WIDGETS


@pytest.mark.parametrize("screen_class", SCREENS, ids=lambda cls: cls.__name__)
def test_every_screen_takes_its_keys_from_its_commands(screen_class):
    assert issubclass(screen_class, CommandScreen)
    assert screen_class.COMMANDS_LIST
    assert screen_class.BINDING_GROUP_TITLE
    if screen_class is not HelpScreen:  # `?` on help closes it
        assert HELP in screen_class.COMMANDS_LIST
    assert screen_class.__dict__["BINDINGS"] == bindings(screen_class.COMMANDS_LIST)
    merged = screen_class._merged_bindings.key_to_bindings
    for command in screen_class.COMMANDS_LIST:
        for key in command.keys.split(","):
            assert command.action in [binding.action for binding in merged[key]]


@pytest.mark.parametrize("widget_class", KEYED_WIDGETS, ids=lambda cls: cls.__name__)
def test_widgets_with_keys_take_them_from_their_commands(widget_class):
    assert widget_class.COMMANDS_LIST
    assert widget_class.BINDING_GROUP_TITLE
    assert widget_class.__dict__["BINDINGS"] == bindings(widget_class.COMMANDS_LIST)


def test_bindings_beside_commands_are_refused():
    with pytest.raises(TypeError, match="COMMANDS_LIST"):

        class Twice(CommandScreen, Screen):  # noqa: F841
            COMMANDS_LIST = (HELP,)
            BINDINGS = [("x", "ping", "Ping")]


class PingScreen(CommandScreen, Screen):
    """A screen as every new one is written: it only declares its commands."""

    COMMANDS_LIST = (Command("ping", "x", "Ping", "Count a ping"), HELP)
    BINDING_GROUP_TITLE = "Ping"

    def __init__(self) -> None:
        super().__init__()
        self.pings = 0

    def compose(self) -> ComposeResult:
        yield Footer()

    def action_ping(self) -> None:
        self.pings += 1


async def test_a_new_screen_gets_key_footer_help_and_palette_from_its_commands(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ping = PingScreen()
        await admin_app.push_screen(ping)
        await settle(pilot)
        await pilot.press("x")
        assert ping.pings == 1
        footer = [(key.key, key.description) for key in ping.query(FooterKey)]
        assert footer[:2] == [("x", "Ping"), ("question_mark", "Help")]
        palette = [command.title for command in admin_app.get_system_commands(ping)]
        assert palette[:2] == ["Ping", "Help"]
        await pilot.press("question_mark")
        assert isinstance(admin_app.screen, HelpScreen)
        assert help_groups(admin_app) == {
            "Ping": [("x", "Count a ping"), ("?", "Show every key of this screen")]
        }


async def test_client_list_help_groups_keys_by_where_they_apply(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        groups = help_groups(admin_app)
        assert list(groups) == ["Client list", "Search box", "Client table"]
        assert groups["Client list"] == [
            (format_keys(command.keys), command.help)
            for command in ClientListScreen.COMMANDS_LIST
            # only in a product's view (My Clients: only in Prepare's); support's keys
            # only for a support identity
            if command.action not in ("leave_product", "my_clients", "elevate", "switch_practice")
        ]
        assert groups["Search box"] == [
            ("esc", "Clear the search and go back to the list"),
            ("enter / down", "Go to the results"),
        ]
        assert ("down / j", "Down") in groups["Client table"]
        assert ("home / g", "First") in groups["Client table"]


async def test_help_leaves_out_a_key_the_screen_has_disabled(admin_app, monkeypatch):
    """Help reads the live bindings, so an action the screen disables is not offered."""

    def check_action(self, action, parameters):
        return action != "sort"

    monkeypatch.setattr(ClientListScreen, "check_action", check_action)
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        client_list_keys = [keys for keys, _ in help_groups(admin_app)["Client list"]]
        assert "f" in client_list_keys
        assert "s" not in client_list_keys


async def test_help_on_filters_shows_the_filters_keys(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "question_mark")
        assert isinstance(admin_app.screen, HelpScreen)
        assert help_groups(admin_app) == {
            "Filters": [
                ("ctrl+s / f2", "Show only the clients that match these filters"),
                ("ctrl+r", "Clear every field here (apply to show every client)"),
                ("esc", "Go back to the list, changing nothing"),
                ("tab", "Go to the next field"),
                ("shift+tab", "Go to the previous field"),
                ("?", "Show every key of this screen"),
            ]
        }
        await pilot.press("escape")
        assert isinstance(admin_app.screen, FiltersScreen)


async def test_help_on_sort_shows_the_sort_keys(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s", "question_mark")
        assert help_groups(admin_app) == {
            "Sort": [
                ("esc", "Go back to the list, changing nothing"),
                ("?", "Show every key of this screen"),
            ],
            "Column list": [
                ("enter", "Sort by the highlighted column (the current one again reverses)")
            ],
        }
        await pilot.press("escape")
        assert isinstance(admin_app.screen, SortScreen)


async def test_help_on_a_file_dialog_says_what_each_key_does(admin_app, tmp_path):
    """The library's own undescribed key reads as its action; `.` as a full stop."""
    from dext_tui.screens.tools.file_dialogs import OpenCsvDialog

    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        admin_app.push_screen(OpenCsvDialog(tmp_path, "Choose a file"))
        await settle(pilot)
        await pilot.press("question_mark")
        groups = help_groups(admin_app)
        assert (".", "Show or hide hidden files and folders") in groups["Open a file"]
        assert ("ctrl+o", "Open the file named in the box (enter there too)") in groups[
            "Open a file"
        ]
        assert ("backspace", "Navigate up") in groups["Directory navigation"]


@pytest.mark.parametrize(
    ("screen_class", "key", "expected"),
    [
        (FiltersScreen, "f", "ctrl+s Apply · ctrl+r Clear all · esc Back · ? Help"),
        (SortScreen, "s", "enter Pick · esc Back · ? Help"),
    ],
)
async def test_dialog_hint_lines_are_built_from_the_commands(
    admin_app, monkeypatch, screen_class, key, expected
):
    extra = Command("noop", "ctrl+t", "Try", "Nothing")
    monkeypatch.setattr(screen_class, "COMMANDS_LIST", (*screen_class.COMMANDS_LIST, extra))
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        assert isinstance(admin_app.screen, screen_class)
        assert hint_text(admin_app) == f"{expected} · ctrl+t Try"


async def test_search_box_keys_are_bindings_the_footer_shows(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        active = admin_app.screen.active_bindings
        assert active["escape"].binding.action == "clear_search"
        assert active["down"].binding.action == "submit"
        footer = {key.description for key in admin_app.screen.query(FooterKey)}
        assert {"Clear", "Results"} <= footer


async def test_palette_keeps_textual_system_commands(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in admin_app.get_system_commands(admin_app.screen)]
        assert titles[:6] == ["Search", "Products", "Add", "Import", "Tools", "Filters"]
        assert "Client list" not in titles  # back from a product view: not offered here
        assert {"Theme", "Keys", "Screenshot", "Quit"} <= set(titles)
        assert len(titles) == len(set(titles))


async def test_palette_runs_textual_keys_command(admin_app):
    async with admin_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"keys")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert admin_app.screen.query("HelpPanel")


def _visible(screen, widget) -> bool:
    dialog = screen.query_one("#filters-dialog")
    return screen.region.contains_region(
        widget.region
    ) and dialog.scrollable_content_region.contains_region(widget.region)


async def test_filters_dialog_reaches_every_field_at_40x12(admin_app):
    async with admin_app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = admin_app.screen
        assert isinstance(screen, FiltersScreen)
        fields = list(screen.focus_chain)
        assert [field.id for field in fields][-3:] == ["apply", "reset", "cancel"]
        for field in fields:
            assert admin_app.focused is field
            assert _visible(screen, field), field.id
            await pilot.press("tab")
            await settle(pilot)
        assert admin_app.focused is fields[0]


async def test_filters_apply_button_scrolls_into_view_at_40x12(admin_app):
    async with admin_app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = admin_app.screen
        apply = screen.query_one("#apply")
        assert not _visible(screen, apply)  # below the fold at first
        apply.focus()
        await settle(pilot)
        assert _visible(screen, apply)


# Keys a terminal, multiplexer or SSH set-up commonly keeps for itself: tmux's and GNU
# screen's prefixes, flow control (XON/XOFF) and job control, and the help, menu and
# full-screen keys of terminal emulators; alt and ctrl+shift combinations many cannot send.
SWALLOWED = {
    "ctrl+a",
    "ctrl+b",
    "ctrl+s",
    "ctrl+q",
    "ctrl+z",
    "ctrl+c",
    "ctrl+backslash",
    "f1",
    "f10",
    "f11",
}


def _swallowed(key: str) -> bool:
    return key in SWALLOWED or key.startswith(("alt+", "ctrl+shift+", "shift+ctrl+"))


@pytest.mark.parametrize("owner", SCREENS + KEYED_WIDGETS, ids=lambda cls: cls.__name__)
def test_no_action_is_reachable_only_by_a_key_terminals_swallow(owner):
    for command in owner.COMMANDS_LIST:
        keys = [key.strip() for key in command.keys.split(",")]
        assert not all(_swallowed(key) for key in keys), (
            f"{owner.__name__}: {command.label} only on {command.keys}"
        )
