"""Checkboxes, radio buttons and selection lists whose state reads as text.

Textual draws every toggle as `▐X▌` (a radio button as `▐●▌`), ticked or not: only the
colour tells them apart, which is lost with NO_COLOR, 16 colours, a screen reader or a
capture of the screen. These draw `[x]`/`[ ]` and `(•)`/`( )` instead; use them everywhere.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox as _Checkbox
from textual.widgets import RadioButton as _RadioButton
from textual.widgets import SelectionList as _SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED, UNTICKED = "[x]", "[ ]"
CHOSEN, UNCHOSEN = "(•)", "( )"
SelectionType = TypeVar("SelectionType")


def _button(toggle: _Checkbox | _RadioButton, text: str) -> Content:
    return Content.assemble((text, toggle.get_visual_style("toggle--button")))


class Checkbox(_Checkbox):
    """A checkbox drawn `[x]` when ticked and `[ ]` when not."""

    @property
    def _button(self) -> Content:
        return _button(self, TICKED if self.value else UNTICKED)


class RadioButton(_RadioButton):
    """A radio button drawn `(•)` when chosen and `( )` when not."""

    @property
    def _button(self) -> Content:
        return _button(self, CHOSEN if self.value else UNCHOSEN)


class SelectionList(_SelectionList[SelectionType]):
    """A selection list whose rows start `[x]` when selected and `[ ]` when not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:  # past the last option: no button on this line
            return strip
        if len(segments) < 3:
            return strip
        # The parent draws the button as three segments (left, inner, right) before the
        # prompt; keep the inner one's style, say the state in the characters.
        text = TICKED if selection.value in self._selected else UNTICKED
        style = segments[1].style
        return Strip([Segment(text, style), *segments[3:]], strip.cell_length)
