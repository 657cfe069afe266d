"""The footer builds its keys again only when the keys it shows change."""

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
