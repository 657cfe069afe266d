"""The footer of keys, composed again only when the keys it shows change.

Textual's Footer builds all its keys afresh whenever a screen's bindings are
refreshed, which is on every focus change, although moving between two fields
seldom changes which keys apply. Building them costs a restyle of every key and
a repaint of the whole line (bytes on the wire for SSH users). This footer keeps
what it last showed and builds again only when the keys, their words or their
enabled state differ.

At 80 columns a screen with many keys (a product view) has more keys than one
line holds, and Textual cuts off the last ones, Help among them. While the keys do not
fit, Help goes first in the line, so the key that lists every other key (and the
palette, docked right) is always on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
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
        self._crowded = False  # the keys overflow the line: Help goes first

    def compose(self) -> ComposeResult:
        if self._crowded and (help_key := self._help_key()) is not None:
            yield help_key
        for widget in super().compose():
            if self._crowded and isinstance(widget, FooterKey) and widget.action == HELP.action:
                continue  # shown first
            yield widget

    def _help_key(self) -> FooterKey | None:
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.action == HELP.action and binding.show:
                key = FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                )
                return key.data_bind(compact=Footer.compact)
        return None

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._check_crowding)

    def on_resize(self) -> None:
        self.call_after_refresh(self._check_crowding)

    def _check_crowding(self) -> None:
        """Crowded (Help first) while the keys in line reach under the palette or past
        the edge; composed again when that changes."""
        if not self.size.width:
            return  # not laid out yet
        keys = [key for key in self.children if not key.has_class("-command-palette")]
        palette = sum(k.outer_size.width for k in self.children if k not in keys)
        end = max((key.virtual_region_with_margin.right for key in keys), default=0)
        crowded = end > self.size.width - palette
        if crowded != self._crowded:
            self._crowded = crowded
            self.call_after_refresh(self.recompose)

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
