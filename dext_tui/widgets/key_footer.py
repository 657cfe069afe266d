"""The footer of keys, composed again only when the keys it shows change.

Textual's Footer builds all its keys afresh whenever a screen's bindings are
refreshed, which is on every focus change, although moving between two fields
seldom changes which keys apply. Building them costs a restyle of every key and
a repaint of the whole line (bytes on the wire for SSH users). This footer keeps
what it last showed and builds again only when the keys, their words or their
enabled state differ.

At 80 columns a screen with many keys (a product view) has more keys than one
line holds, and Textual cuts off the last ones, Help among them. While the keys
do not fit, Help is moved to the front of the line, so the key that lists every
other key (and the palette, docked right) is always on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from dext_tui.commands import HELP

if TYPE_CHECKING:
    from textual.screen import Screen

KeysShown = tuple[tuple[object, ...], ...]


class KeyFooter(Footer):
    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: KeysShown | None = None
        # Help moved to the front of a crowded line, with the key it stood before
        # (None: it was the last), to go back there once the line has room.
        self._help_moved: tuple[FooterKey, Widget | None] | None = None

    async def recompose(self) -> None:
        self._help_moved = None  # new keys, in their own order
        await super().recompose()
        self.call_after_refresh(self._keep_help_in_sight)

    def on_resize(self) -> None:
        self.call_after_refresh(self._keep_help_in_sight)

    def _keep_help_in_sight(self) -> None:
        """Help first while the keys in line reach under the palette or past the edge;
        moved, not composed again, so only the footer line is sent."""
        if not self.size.width:
            return  # not laid out yet
        keys = [key for key in self.children if not key.has_class("-command-palette")]
        palette = sum(key.outer_size.width for key in self.children if key not in keys)
        end = max((key.virtual_region_with_margin.right for key in keys), default=0)
        crowded = end > self.size.width - palette
        if crowded and self._help_moved is None:
            for index, key in enumerate(keys):
                if isinstance(key, FooterKey) and key.action == HELP.action and index:
                    following = keys[index + 1] if index + 1 < len(keys) else None
                    self._help_moved = (key, following)
                    self.move_child(key, before=0)
                    return
        elif not crowded and self._help_moved is not None:
            help_key, following = self._help_moved
            self._help_moved = None
            if following is None:
                self.move_child(help_key, after=keys[-1])
            else:
                self.move_child(help_key, before=following)

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
