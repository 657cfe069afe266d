"""A focusable scrolling body restyles itself on focus, not everything inside it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Input, Static

from dext_tui.widgets.body_scroll import BodyScroll


class BodyApp(App[None]):
    CSS = "BodyScroll:focus { background: red; }"

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        with BodyScroll(id="body"):
            for number in range(20):
                yield Static(f"line {number}")


async def test_focus_restyles_the_body_alone_and_its_focus_look_still_shows():
    app = BodyApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        body = app.query_one(BodyScroll)
        restyled: list[object] = []
        update_nodes = app.stylesheet.update_nodes

        def recording(nodes, animate=False):
            nodes = list(nodes)
            restyled.extend(nodes)
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = recording  # type: ignore[method-assign]
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is body
        assert body.styles.background == Color.parse("red")
        assert not any(isinstance(node, Static) for node in restyled)
        await pilot.press("tab")
        await pilot.pause()
        assert body.styles.background != Color.parse("red")
        assert not any(isinstance(node, Static) for node in restyled)
