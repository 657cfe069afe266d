"""Checkboxes, radio buttons and selection lists read their state as plain text, so it
survives NO_COLOR, 16 colours, screen readers and a capture of the screen."""

from __future__ import annotations

import pytest
import textual.constants
from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from dext_tui.widgets.toggles import Checkbox, RadioButton, SelectionList


class Toggles(App):
    def compose(self) -> ComposeResult:
        yield Checkbox("Prepare", value=True, id="ticked")
        yield Checkbox("Solo", value=False, id="unticked")
        with RadioSet():
            yield RadioButton("The current view", value=True, id="chosen")
            yield RadioButton("Every client", id="unchosen")
        yield SelectionList[int](("Ann", 1, True), ("Bob", 2, False), id="people")


@pytest.fixture(params=["no_color", "16_colours"])
def plain_terminal(request, monkeypatch):
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    return request.param


async def test_ticked_and_chosen_read_differently_as_plain_text(plain_terminal):
    app = Toggles()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color is (plain_terminal == "no_color")

        def plain(selector: str) -> str:
            return app.query_one(selector).render().plain

        assert plain("#ticked").startswith("[x]")
        assert plain("#unticked").startswith("[ ]")
        assert plain("#chosen").startswith("(•)")
        assert plain("#unchosen").startswith("( )")
        people = app.query_one("#people", SelectionList)
        assert people.render_line(0).text.startswith("[x] Ann")
        assert people.render_line(1).text.startswith("[ ] Bob")
        await pilot.press("tab", "tab", "tab")  # to the list, then space toggles Ann
        assert app.focused is people
        await pilot.press("space")
        await pilot.pause()
        assert people.render_line(0).text.startswith("[ ] Ann")
