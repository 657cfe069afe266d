"""A scrolling body that takes focus (so keys scroll it) without restyling what it holds.

Textual restyles a widget and everything inside it when the widget gains or loses
focus, in case a rule styles the inside by the outside's focus. No rule here does,
and for a form's body that restyle of every field cost tens of milliseconds on each
focus change, so this body restyles itself alone.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class BodyScroll(VerticalScroll):
    def watch_has_focus(self, has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
