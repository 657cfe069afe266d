"""The footer of keys, composed again only when the keys it shows change.

Textual's Footer builds all its keys afresh whenever a screen's bindings are
refreshed, which is on every focus change, although moving between two fields
seldom changes which keys apply. Building them costs a restyle of every key and
a repaint of the whole line (bytes on the wire for SSH users). This footer keeps
what it last showed and builds again only when the keys, their words or their
enabled state differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

KeysShown = tuple[tuple[object, ...], ...]


class KeyFooter(Footer):
    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: KeysShown | None = None

    def keys_to_show(self, screen: Screen) -> KeysShown:
        """What `compose` would draw from `screen`'s bindings, as plain values."""
        app = self.app
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                app.get_key_display(binding),
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # as Footer: nothing drawn, or drawn later
            return
        keys = self.keys_to_show(screen)
        if keys == self._shown:
            return
        self._shown = keys
        super().bindings_changed(screen)
