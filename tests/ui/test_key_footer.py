"""The footer builds its keys again only when the keys it shows change, and keeps Help
on screen when the keys are too many for the line."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from dext_tui.widgets.key_footer import KeyFooter


class SaveInput(Input):
    BINDINGS = [Binding("ctrl+s", "save", "Save")]


class FooterApp(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield SaveInput(id="third")
        yield KeyFooter()


def keys_shown(app: App) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


async def test_moving_between_fields_with_the_same_keys_keeps_the_footer_as_built():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        built = list(app.screen.query(FooterKey))
        assert "Quit" in keys_shown(app) and "Save" not in keys_shown(app)
        await pilot.press("tab")  # first -> second: the same keys apply
        await pilot.pause()
        assert app.focused is app.query_one("#second")
        assert list(app.screen.query(FooterKey)) == built  # the very same widgets


async def test_a_field_with_a_key_of_its_own_shows_it_and_leaving_it_takes_it_away():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")  # to the field with ctrl+s
        await pilot.pause()
        assert "Save" in keys_shown(app)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.query_one("#first")
        assert "Save" not in keys_shown(app)


def crowded_app(keys: int, *after_help: str) -> App[None]:
    """`keys` keys of 20 columns each, then Help (8 columns), then `after_help` (keys
    f10, f11, …); the palette takes 12."""

    class CrowdedApp(App[None]):
        BINDINGS = [
            *(Binding(f"f{n}", f"bell_{n}", f"Action number {n}") for n in range(1, keys + 1)),
            Binding("question_mark", "help", "Help"),
            *(Binding(f"f{10 + n}", f"bell_{n}", label) for n, label in enumerate(after_help)),
        ]

        def compose(self) -> ComposeResult:
            yield KeyFooter()

    return CrowdedApp()


def keys_in_line(app: App) -> list[str]:
    """The footer's keys left to right, without the palette docked at its right edge."""
    keys = app.screen.query(FooterKey).exclude(".-command-palette")
    return [key.description for key in keys]


async def settled_at(pilot, width: int | None = None) -> list[str]:
    """The keys in line once the footer has laid out (at `width` columns, if given)."""
    if width is not None:
        await pilot.resize_terminal(width, 10)
    await pilot.pause()
    await pilot.pause()
    return keys_in_line(pilot.app)


async def test_keys_too_many_for_the_line_put_help_first_and_room_puts_it_back():
    """Cut at the edge, Help would be the first key lost; it goes first instead."""
    app = crowded_app(7, "Last")
    actions = [f"Action number {n}" for n in range(1, 8)]
    async with app.run_test(size=(80, 10)) as pilot:
        assert await settled_at(pilot) == ["Help", *actions, "Last"]
        assert await settled_at(pilot, 180) == [*actions, "Help", "Last"]  # its own place
        assert await settled_at(pilot, 80) == ["Help", *actions, "Last"]


async def test_keys_reaching_under_the_palette_count_as_too_many():
    """68 columns of keys in 75: inside the edge, but the palette covers the last 12."""
    app = crowded_app(3)
    async with app.run_test(size=(75, 10)) as pilot:
        assert (await settled_at(pilot))[0] == "Help"
        # 68 columns beside the palette's 12: room
        assert (await settled_at(pilot, 80))[-1] == "Help"
